package dev.switchboard.console;

import javafx.scene.control.Label;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.fail;

/** Reading the console's scene on its FX thread, and waiting for it, in the TestFX tests. */
final class FxWait {

    private FxWait() {
    }

    /** {@code c} run on the FX thread. */
    static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    /** Waits up to 20 s for {@code check} (run on the FX thread) to hold; fails naming {@code what}. */
    static void eventually(String what, Callable<Boolean> check) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> {
                try {
                    return fx(check);
                } catch (RuntimeException e) {
                    return false;
                }
            });
        } catch (TimeoutException e) {
            fail("timed out waiting for: " + what);
        }
    }

    /** The text of the label {@code query} finds. */
    static String text(FxRobot robot, String query) throws Exception {
        return fx(() -> ((Label) robot.lookup(query).query()).getText());
    }
}
