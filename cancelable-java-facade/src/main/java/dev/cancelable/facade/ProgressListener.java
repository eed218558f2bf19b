package dev.cancelable.facade;

import java.util.Map;

/**
 * Receives the progress reports of an operation and of all its descendants.
 *
 * <pre>{@code
 * Cancelables.operation("import")
 *     .onProgress((id, message, meta) -> log.info("{}: {} {}", id, message, meta))
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
     * @param operationId id of the operation that reported (a descendant's id when it bubbled up)
     * @param message the report
     * @param metadata what came with it; empty when nothing did
     */
    void onProgress(String operationId, String message, Map<String, Object> metadata);
}
