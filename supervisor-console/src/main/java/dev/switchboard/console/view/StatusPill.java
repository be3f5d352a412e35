package dev.switchboard.console.view;

import dev.switchboard.console.state.Format;
import javafx.scene.control.Label;

/**
 * A small coloured label for a call status, call phase or agent state; the colour comes from the
 * style class {@code pill-<state>} in {@code console.css}.
 */
final class StatusPill extends Label {

    private String current;

    StatusPill() {
        getStyleClass().add("pill");
        setMinWidth(USE_PREF_SIZE);
    }

    StatusPill(String state) {
        this();
        show(state, Format.words(state));
    }

    /** Shows {@code state} with {@code text}, or nothing for {@code null}. */
    void show(String state, String text) {
        if (current != null) {
            getStyleClass().remove("pill-" + current);
        }
        current = state;
        setVisible(state != null);
        setText(text);
        if (state != null) {
            getStyleClass().add("pill-" + state);
        }
    }

    /** A call's status with its phase when finer: "Waiting · ringing". */
    static String callText(String status, String phase) {
        String s = Format.words(status);
        return phase == null || phase.equals(status) ? s : s + " · " + phase;
    }
}
