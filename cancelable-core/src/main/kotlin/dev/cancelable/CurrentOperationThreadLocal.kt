package dev.cancelable

/**
 * The operation running on this thread inside a blocking call or `interruptible`; what
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

    /** Installs [operation] for a caller that has read what was there already, to [restore] it later. */
    fun install(operation: CancelableImpl) {
        local.set(operation)
    }

    /**
     * Puts [previous] back. Null is stored, not removed: the thread's entry (which holds no operation)
     * then stays for its next call, instead of being created anew each time.
     */
    fun restore(previous: CancelableImpl?) {
        local.set(previous)
    }
}
