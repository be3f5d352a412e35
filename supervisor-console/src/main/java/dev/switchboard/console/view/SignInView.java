package dev.switchboard.console.view;

import dev.switchboard.console.state.SignInViewModel;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The sign-in card: server address, a named supervisor's username and password (or an API key for
 * integrations and tests), "remember key"; the console checks them with the server.
 */
public final class SignInView extends StackPane {

    public SignInView(SignInViewModel vm, Runnable submit) {
        getStyleClass().add("sign-in");

        Label mark = new Label("◆");
        mark.getStyleClass().add("brand-mark");
        Label title = new Label("Switchboard");
        title.getStyleClass().add("sign-in-title");
        HBox brand = new HBox(8, mark, title);
        brand.setAlignment(Pos.CENTER_LEFT);
        Label subtitle = new Label("Supervisor console");
        subtitle.getStyleClass().add("muted");

        TextField url = new TextField();
        url.setId("server-url");
        url.setPromptText("http://127.0.0.1:8080");
        url.textProperty().bindBidirectional(vm.serverUrlProperty());
        TextField username = new TextField();
        username.setId("username");
        username.setPromptText("your username");
        username.textProperty().bindBidirectional(vm.usernameProperty());
        PasswordField password = new PasswordField();
        password.setId("password");
        password.textProperty().bindBidirectional(vm.passwordProperty());
        PasswordField key = new PasswordField();
        key.setId("api-key");
        key.setPromptText("a supervisor or admin key");
        key.textProperty().bindBidirectional(vm.keyProperty());
        CheckBox remember = new CheckBox("Remember the key on this computer");
        remember.setId("remember-key");
        remember.selectedProperty().bindBidirectional(vm.rememberKeyProperty());

        Button signIn = new Button("Sign in");
        signIn.setId("sign-in");
        signIn.getStyleClass().add("accent");
        signIn.setDefaultButton(true);
        signIn.setMaxWidth(Double.MAX_VALUE);
        signIn.disableProperty().bind(vm.canSubmitBinding().not());
        signIn.setOnAction(e -> submit.run());

        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(18, 18);
        busy.visibleProperty().bind(vm.busyProperty());
        busy.managedProperty().bind(vm.busyProperty());
        Label error = new Label();
        error.setId("sign-in-error");
        error.getStyleClass().add("error");
        error.setWrapText(true);
        error.textProperty().bind(vm.errorProperty());
        error.managedProperty().bind(vm.errorProperty().isNotEmpty());
        HBox status = new HBox(8, busy, error);
        status.setAlignment(Pos.CENTER_LEFT);

        Label or = new Label("or, for integrations and tests, an API key");
        or.getStyleClass().add("muted");
        VBox card = new VBox(10, brand, subtitle, label("Server"), url, label("Username"), username, label("Password"), password,
            or, key, remember, signIn, status);
        card.getStyleClass().add("sign-in-card");
        card.setMaxSize(400, USE_PREF_SIZE);
        getChildren().add(card);
        url.textProperty().addListener((o, a, b) -> vm.errorProperty().set(""));
        key.textProperty().addListener((o, a, b) -> vm.errorProperty().set(""));
        username.textProperty().addListener((o, a, b) -> vm.errorProperty().set(""));
        password.textProperty().addListener((o, a, b) -> vm.errorProperty().set(""));
        // once shown: the empty field the supervisor has to fill first
        javafx.application.Platform.runLater(() -> (vm.serverUrlProperty().get().isBlank() ? url : key).requestFocus());
    }

    private static Label label(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("field-label");
        return l;
    }
}
