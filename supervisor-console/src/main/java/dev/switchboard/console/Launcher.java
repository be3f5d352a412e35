package dev.switchboard.console;

/**
 * The runnable jar's entry point. It must not extend {@code Application}: the JDK's launcher
 * refuses such a main class when JavaFX sits on the class path (as in the one-jar build) instead
 * of the module path.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        ConsoleApp.main(args);
    }
}
