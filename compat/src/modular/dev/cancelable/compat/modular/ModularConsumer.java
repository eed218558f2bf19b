package dev.cancelable.compat.modular;

import dev.cancelable.OperationCanceledException;
import dev.cancelable.CancellationReason;
import dev.cancelable.CancellationToken;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.facade.Operation;
import dev.cancelable.registry.OperationRegistry;
import dev.cancelable.test.ManualSource;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import javax.management.ObjectName;

/**
 * A user's Java code compiled by plain javac on the module path and run there, with no flag beyond
 * the module path. It fails (non-zero exit) on the first thing that is off.
 */
public final class ModularConsumer {
    private ModularConsumer() {
    }

    public static void main(String[] args) throws Exception {
        for (Class<?> type : new Class<?>[] {CancellationToken.class, Cancelables.class, ManualSource.class}) {
            Module module = type.getModule();
            check(module.isNamed() && !module.getDescriptor().isAutomatic(),
                    type.getName() + " is not in an explicit module: " + module);
        }

        Operation slow = Cancelables.operation("modular-timeout").timeout(Duration.ofMillis(50)).build();
        try {
            slow.call(ctx -> {
                ctx.sleep(Duration.ofSeconds(10));
                return null;
            });
            check(false, "the timeout did not fire");
        } catch (OperationCanceledException e) {
            check(e.getReason() == CancellationReason.TIMEOUT, "canceled with " + e.getReason());
        }

        ManualSource stop = new ManualSource();
        Operation manual = Cancelables.operation("modular-kit").source(stop).build();
        var future = manual.supplyAsync(ctx -> {
            ctx.sleep(Duration.ofSeconds(10));
            return null;
        });
        while (stop.getAttachedCount() == 0) {
            Thread.onSpinWait();
        }
        stop.fire(CancellationReason.SIGNAL, "test");
        check(future.handle((value, error) -> error).join() instanceof OperationCanceledException, "the manual source did not cancel");

        OperationRegistry registry = new OperationRegistry();
        AutoCloseable exposed = registry.exposeJmx("modular");
        try {
            Object active = ManagementFactory.getPlatformMBeanServer()
                    .getAttribute(new ObjectName("dev.cancelable:type=OperationRegistry,name=modular"), "ActiveCount");
            check(Integer.valueOf(0).equals(active), "JMX read " + active);
        } finally {
            exposed.close();
        }

        System.out.println("module-path consumer (" + Cancelables.class.getModule().getName() + "): ok");
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
