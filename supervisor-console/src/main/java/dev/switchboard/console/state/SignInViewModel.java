package dev.switchboard.console.state;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The sign-in form: address, then a named supervisor's username and password or an API key,
 * "remember key", and the outcome of the last attempt. A username, when given, is what signs in.
 */
public final class SignInViewModel {

    private final StringProperty serverUrl = new SimpleStringProperty(this, "serverUrl", "");
    private final StringProperty key = new SimpleStringProperty(this, "key", "");
    private final StringProperty username = new SimpleStringProperty(this, "username", "");
    private final StringProperty password = new SimpleStringProperty(this, "password", "");
    private final BooleanProperty rememberKey = new SimpleBooleanProperty(this, "rememberKey");
    private final BooleanProperty busy = new SimpleBooleanProperty(this, "busy");
    private final StringProperty error = new SimpleStringProperty(this, "error", "");
    private final BooleanBinding canSubmit = Bindings.createBooleanBinding(
        () -> !busy.get() && !serverUrl.get().isBlank()
            && (usesAccount() ? !password.get().isEmpty() : !key.get().isBlank()), busy, serverUrl, key, username, password);

    /** Whether the form signs in by username and password (a username is filled in) rather than with a key. */
    public boolean usesAccount() {
        return !username.get().isBlank();
    }

    public StringProperty usernameProperty() {
        return username;
    }

    public StringProperty passwordProperty() {
        return password;
    }

    public StringProperty serverUrlProperty() {
        return serverUrl;
    }

    public StringProperty keyProperty() {
        return key;
    }

    public BooleanProperty rememberKeyProperty() {
        return rememberKey;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public StringProperty errorProperty() {
        return error;
    }

    public BooleanBinding canSubmitBinding() {
        return canSubmit;
    }
}
