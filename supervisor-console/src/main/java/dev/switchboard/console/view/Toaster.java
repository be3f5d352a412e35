package dev.switchboard.console.view;

import dev.switchboard.console.state.Format;
import dev.switchboard.console.state.QueueNames;
import dev.switchboard.console.wire.Alert;
import javafx.animation.FadeTransition;
import javafx.animation.PauseTransition;
import javafx.animation.SequentialTransition;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.util.Duration;

import java.util.function.Consumer;

/**
 * Desktop-style notifications for new alerts: cards stacked in the bottom-right corner of the
 * console's window, each fading out after {@link #SHOW_FOR}; a click shows the alert's call. They
 * live in a layer over the console rather than in a popup window, so they need no window
 * transparency (which a desktop without a compositor paints white).
 */
final class Toaster {

    /** Long enough to read a one-line message; short enough not to pile up during a burst. */
    static final Duration SHOW_FOR = Duration.seconds(6);
    /** More than this many at once and the oldest goes first. */
    static final int MAX_SHOWN = 4;

    private final Consumer<String> showCall;
    private final QueueNames names;
    private final VBox stack = new VBox(8);

    Toaster(Consumer<String> showCall, QueueNames names) {
        this.showCall = showCall;
        this.names = names;
        stack.getStyleClass().add("toast-stack");
        stack.setAlignment(Pos.BOTTOM_RIGHT);
        stack.setPickOnBounds(false);   // clicks between the cards reach the console
        stack.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
        StackPane.setAlignment(stack, Pos.BOTTOM_RIGHT);
    }

    /** The layer to put over the console. */
    Node layer() {
        return stack;
    }

    void show(Alert a) {
        Label title = new Label(Format.flag(a.kind()) + " · call " + a.callId());
        title.getStyleClass().add("toast-title");
        Label message = new Label(names.inText(a.message(), a.queueId()));
        message.setWrapText(true);
        message.getStyleClass().add("toast-message");
        Label meta = new Label(Format.time(a.at()) + (a.queueId() == null ? "" : " · " + names.name(a.queueId())));
        meta.getStyleClass().add("toast-meta");
        VBox card = new VBox(3, title, message, meta);
        card.getStyleClass().addAll("toast", "kind-" + a.kind());
        card.setPrefWidth(340);
        card.setMaxWidth(340);
        card.setOnMouseClicked(e -> {
            showCall.accept(a.callId());
            stack.getChildren().remove(card);
        });
        if (stack.getChildren().size() >= MAX_SHOWN) {
            stack.getChildren().remove(0);
        }
        stack.getChildren().add(card);

        FadeTransition in = new FadeTransition(Duration.millis(180), card);
        in.setFromValue(0);
        in.setToValue(1);
        FadeTransition out = new FadeTransition(Duration.millis(400), card);
        out.setToValue(0);
        SequentialTransition life = new SequentialTransition(in, new PauseTransition(SHOW_FOR), out);
        life.setOnFinished(e -> stack.getChildren().remove(card));
        life.play();
    }
}
