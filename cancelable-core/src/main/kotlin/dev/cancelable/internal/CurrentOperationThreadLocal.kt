package dev.cancelable.internal

/**
 * The operation running on this thread inside a blocking call or `runInterruptible`; what
 * `Cancelable.current()` returns. Set and restored by whoever runs the block.
 */
internal object CurrentOperationThreadLocal {
    private val local = ThreadLocal<CancelableImpl?>()

    fun get(): CancelableImpl? = local.get()

    /** Installs [operation]; returns what was there before, for [restore]. */
    fun enter(operation: CancelableImpl?): CancelableImpl? {
        val previous = local.get()
        local.set(operation)
        return previous
    }

    fun restore(previous: CancelableImpl?) {
        if (previous == null) local.remove() else local.set(previous)
    }
}
