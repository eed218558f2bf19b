package dev.cancelable.facade;

import dev.cancelable.ProgressReport;

/**
 * Receives the progress reports of an operation and of all its descendants.
 *
 * <pre>{@code
 * Cancelables.operation("import")
 *     .onProgress(p -> log.info("{} ({}): {} {}", p.getOperation().getName(), p.getOperation().getId(),
 *             p.getMessage(), p.getMetadata()))
 *     .build();
 * }</pre>
 *
 * <p>Called on the reporting thread, in registration order. It must be fast, thread-safe and should
 * not throw: a failure is logged at WARN and the operation and the other listeners carry on.
 */
@FunctionalInterface
public interface ProgressListener {
    /**
     * One progress report.
     *
     * @param report the reporting operation (a descendant when it bubbled up), the message and its metadata
     */
    void onProgress(ProgressReport report);
}
