package dev.switchboard.console;

import dev.switchboard.console.net.ApiException;
import dev.switchboard.console.net.ServerApi;
import dev.switchboard.console.state.SignInViewModel;
import dev.switchboard.console.view.MainView;
import dev.switchboard.console.view.SignInView;
import dev.switchboard.console.wire.ServerInfo;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The JavaFX application: the sign-in card, then the console. Sign-in asks the server's
 * {@code GET /api/info} with the key (off the FX thread) to learn the key's role and the Socket.io
 * port; an ingest-only key is refused here, since the live feed needs a supervisor or admin key.
 *
 * <p>Options: {@code --server=URL} fills in the address; with {@code SWITCHBOARD_CONSOLE_KEY} set
 * in the environment as well, the console signs in at once (demos, kiosks). Settings live in
 * {@code ~/.switchboard} (see {@link ConsoleSettings}).
 */
public class ConsoleApp extends Application {

    public static final String TITLE = "Switchboard · Supervisor console";
    public static final String KEY_ENV = "SWITCHBOARD_CONSOLE_KEY";
    static final String STYLESHEET = "/dev/switchboard/console/console.css";

    private final Path settingsDir;
    private final SignInViewModel signIn = new SignInViewModel();
    private Stage stage;
    private Console console;
    private MainView main;

    public ConsoleApp() {
        this(ConsoleSettings.defaultDir());
    }

    public ConsoleApp(Path settingsDir) {
        this.settingsDir = settingsDir;
    }

    public static void main(String[] args) {
        launch(ConsoleApp.class, args);
    }

    @Override
    public void start(Stage primary) {
        this.stage = primary;
        ConsoleSettings saved = ConsoleSettings.load(settingsDir);
        signIn.serverUrlProperty().set(saved.serverUrl());
        signIn.keyProperty().set(saved.key());
        signIn.rememberKeyProperty().set(saved.remembersKey());
        Map<String, String> named = getParameters() == null ? Map.of() : getParameters().getNamed();
        String envKey = System.getenv(KEY_ENV);
        if (named.containsKey("server")) {
            signIn.serverUrlProperty().set(named.get("server"));
        }
        if (envKey != null && !envKey.isBlank()) {
            signIn.keyProperty().set(envKey);
        }

        Scene scene = new Scene(new SignInView(signIn, this::signIn), 1280, 800);
        scene.getStylesheets().add(stylesheet());
        stage.setTitle(TITLE);
        stage.setMinWidth(960);
        stage.setMinHeight(640);
        stage.setScene(scene);
        stage.show();
        if (named.containsKey("server") && envKey != null && !envKey.isBlank()) {
            signIn();
        }
    }

    static String stylesheet() {
        return ConsoleApp.class.getResource(STYLESHEET).toExternalForm();
    }

    /** Checks the address and key with the server, then opens the console. */
    void signIn() {
        URI base;
        try {
            base = ServerApi.parseServerUrl(signIn.serverUrlProperty().get());
        } catch (IllegalArgumentException e) {
            signIn.errorProperty().set(e.getMessage());
            return;
        }
        signIn.busyProperty().set(true);
        signIn.errorProperty().set("");
        if (signIn.usesAccount()) {
            String password = signIn.passwordProperty().get();
            signIn.passwordProperty().set("");   // not kept in the form once sent
            ServerApi.signIn(base, signIn.usernameProperty().get().trim(), password)
                .whenComplete((token, failure) -> Platform.runLater(() -> {
                    if (failure != null) {
                        signIn.busyProperty().set(false);
                        ApiException e = ApiException.of(failure);
                        signIn.errorProperty().set(e.status() == 401 ? "Wrong username or password" : e.getMessage());
                        return;
                    }
                    check(base, ServerApi.withSession(base, token), token, false);
                }));
            return;
        }
        String key = signIn.keyProperty().get().trim();
        check(base, new ServerApi(base, key), key, true);
    }

    /**
     * Asks the server who this credential is, then opens the console.
     *
     * @param secret the key or the session token (the Socket.io handshake's token)
     * @param isKey  a key (may be remembered) rather than a session token (never written)
     */
    private void check(URI base, ServerApi api, String secret, boolean isKey) {
        api.info().whenComplete((info, failure) -> Platform.runLater(() -> {
            signIn.busyProperty().set(false);
            if (failure != null) {
                ApiException e = ApiException.of(failure);
                signIn.errorProperty().set(e.status() == 401 ? (isKey ? "This key is not valid for " + base
                    : "The session was refused by " + base) : e.getMessage());
                return;
            }
            if (!info.canSupervise()) {
                signIn.errorProperty().set("This key's role is " + info.role()
                    + ": the console needs a supervisor or admin key.");
                return;
            }
            try {
                ConsoleSettings.save(settingsDir, base.toString(), isKey ? secret : "", isKey && signIn.rememberKeyProperty().get());
            } catch (RuntimeException e) {
                // not being able to remember the address must not keep a supervisor out
            }
            open(api, secret, info);
        }));
    }

    private void open(ServerApi api, String key, ServerInfo info) {
        console = new Console(api, key, info, Platform::runLater);
        main = new MainView(console);
        stage.getScene().setRoot(main);
        stage.setTitle(TITLE + " · " + base(api));
        console.start();
    }

    private static String base(ServerApi api) {
        return api.base().getAuthority();
    }

    /** The console once signed in, else {@code null}. */
    public Console console() {
        return console;
    }

    @Override
    public void stop() {
        if (main != null) {
            main.dispose();
        }
        if (console != null) {
            console.close();
        }
    }
}
