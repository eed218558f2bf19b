package dev.cancelable.examples.java;

import dev.cancelable.CanceledByConditionException;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.source.ResourceReader;
import dev.cancelable.source.ResourceReaders;
import java.io.File;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Cancel when memory, CPU or disk usage crosses a threshold. The machine's real readings are
 * printed; the cancel itself is driven by a simulated memory reader that climbs, so the example
 * behaves the same on every machine.
 *
 * <p>Java watches a {@link ResourceReader} through a condition, which is what the core's
 * {@code ResourceSource} does inside; {@code new ResourceSource(90.0, null, null, interval, readers)}
 * with {@code .source(...)} works as well.
 */
public final class ResourceMonitoringExample {
    private ResourceMonitoringExample() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("this machine: memory " + percent(ResourceReaders.Companion.systemMemory()) + ", cpu "
                + percent(ResourceReaders.Companion.systemCpu()) + ", disk " + percent(ResourceReaders.Companion.diskSpace(new File("/"))));

        // region readme:resources
        AtomicReference<Double> reading = new AtomicReference<>(64.0);
        ResourceReader memory = () -> reading.getAndUpdate(r -> r + 6.0);   // 64, 70, 76, ...; or ResourceReaders.Companion.systemMemory()
        try {
            Cancelables.operation("transcode")
                    .condition(() -> memory.usagePercent() > 90.0, Duration.ofMillis(50), "memory")
                    .build()
                    .call(ctx -> {
                        while (true) {
                            ctx.sleep(Duration.ofMillis(20));                     // frames, frames, frames
                        }
                    });
        } catch (CanceledByConditionException e) {
            System.out.println("transcode canceled: " + e.getReason() + " - " + e.getMessage() + " (resource " + e.getConditionName() + ")");
        }
        // endregion
    }

    private static String percent(ResourceReader reader) {
        double value = reader.usagePercent();
        return Double.isNaN(value) || value < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%", value);
    }
}
