package dev.cancelable.internal

import kotlinx.coroutines.DisposableHandle
import java.util.concurrent.locks.LockSupport

/**
 * One daemon thread that runs one-shot timers, for code whose dispatcher has no clock of its own
 * and for blocking calls. Canceled timers leave the queue at once.
 *
 * The thread sleeps until the earliest deadline it was told of, and arming a timer wakes it only
 * when the new deadline is earlier than that. Disarming never wakes it, and it keeps sleeping until
 * its deadline even when the timer it was armed for is gone, so that the next timer, usually due no
 * earlier, does not wake it either. A call that arms a timeout and disarms it a moment later (every
 * blocking call with a timeout that finishes in time) thus costs a heap insert and a removal under
 * an uncontended lock, instead of waking a parked thread each time as a `ScheduledThreadPoolExecutor`
 * does whenever its queue gains a new head.
 *
 * | the thread                    | [hasDeadline], [sleepUntil]                 |
 * |-------------------------------|---------------------------------------------|
 * | not started                   | false; the first timer armed starts it      |
 * | running the timers due        | whatever it last slept until                |
 * | parked until a deadline       | true, that deadline                         |
 * | parked until woken            | false                                       |
 *
 * Timers run on the thread one after another; one that throws is logged and the others still run.
 * Thread-safe; one lock guards the queue.
 */
internal class SharedTimer(private val threadName: String) {
    private val lock = Any()
    private var queue = arrayOfNulls<Entry>(16)
    private var size = 0
    private var hasDeadline = false
    private var sleepUntil = 0L
    private var thread: Thread? = null

    /** Timers armed and not yet run or disarmed. */
    val pending: Int get() = synchronized(lock) { size }

    /** Runs [action] on the timer thread once [delayNanos] have passed, unless the handle is disposed first. */
    fun schedule(delayNanos: Long, action: Runnable): DisposableHandle {
        val entry = Entry(System.nanoTime() + delayNanos.coerceIn(0, MAX_DELAY_NANOS), action)
        var wake: Thread? = null
        synchronized(lock) {
            add(entry)
            if (!hasDeadline || entry.deadline - sleepUntil < 0) {
                hasDeadline = true
                sleepUntil = entry.deadline
                wake = thread ?: start(entry)
            }
        }
        wake?.let(LockSupport::unpark)
        return entry
    }

    /** Starts the thread (under the lock); if it cannot start, [entry] is not left armed. */
    private fun start(entry: Entry): Thread {
        try {
            val started = Thread(::loop, threadName)
            started.isDaemon = true
            started.start()
            thread = started
            return started
        } catch (e: Throwable) {
            removeAt(entry.index)
            hasDeadline = false
            throw e
        }
    }

    private fun loop() {
        while (true) {
            var due: Entry? = null
            var parkNanos = 0L
            synchronized(lock) {
                val now = System.nanoTime()
                val head = queue[0]
                if (head != null && head.deadline - now <= 0) {
                    removeAt(0)
                    due = head
                } else {
                    // A deadline still ahead is kept even if its timer is gone, so that arming the
                    // next timer needs no wake-up unless it is due earlier.
                    if (hasDeadline && sleepUntil - now <= 0) hasDeadline = false
                    if (head != null && (!hasDeadline || head.deadline - sleepUntil < 0)) {
                        hasDeadline = true
                        sleepUntil = head.deadline
                    }
                    parkNanos = if (hasDeadline) sleepUntil - now else UNTIL_WOKEN
                }
            }
            val action = due?.action
            when {
                action != null -> run(action)
                parkNanos == UNTIL_WOKEN -> LockSupport.park(this)
                else -> LockSupport.parkNanos(this, parkNanos)
            }
        }
    }

    private fun run(action: Runnable) {
        try {
            action.run()
        } catch (e: Throwable) {
            log.warn("a timer action failed", e)
        }
    }

    private fun remove(entry: Entry) = synchronized(lock) {
        val index = entry.index
        if (index >= 0) removeAt(index)
    }

    // ---- binary min-heap on deadline, each entry knowing its index (guarded by lock) --------------

    private fun add(entry: Entry) {
        if (size == queue.size) queue = queue.copyOf(size * 2)
        siftUp(size++, entry)
    }

    private fun removeAt(index: Int) {
        val removed = queue[index]!!
        removed.index = -1
        val last = queue[--size]!!
        queue[size] = null
        if (index == size) return
        siftDown(index, last)
        if (queue[index] === last) siftUp(index, last)
    }

    private fun siftUp(start: Int, entry: Entry) {
        var index = start
        while (index > 0) {
            val parentIndex = (index - 1) ushr 1
            val parent = queue[parentIndex]!!
            if (entry.deadline - parent.deadline >= 0) break
            place(index, parent)
            index = parentIndex
        }
        place(index, entry)
    }

    private fun siftDown(start: Int, entry: Entry) {
        var index = start
        val half = size ushr 1
        while (index < half) {
            var childIndex = 2 * index + 1
            var child = queue[childIndex]!!
            val right = childIndex + 1
            if (right < size && queue[right]!!.deadline - child.deadline < 0) {
                childIndex = right
                child = queue[right]!!
            }
            if (entry.deadline - child.deadline <= 0) break
            place(index, child)
            index = childIndex
        }
        place(index, entry)
    }

    private fun place(index: Int, entry: Entry) {
        queue[index] = entry
        entry.index = index
    }

    /** One armed timer; disposing it disarms it. */
    internal inner class Entry(val deadline: Long, val action: Runnable) : DisposableHandle {
        /** Position in the queue; -1 once run or disarmed. Guarded by the lock. */
        var index = -1

        override fun dispose() = remove(this)
    }

    private companion object {
        /** The park time that means: until woken. */
        const val UNTIL_WOKEN = -1L

        /** Longer delays wait this long (about 73 years), so deadlines never overflow. */
        const val MAX_DELAY_NANOS = Long.MAX_VALUE / 4

        val log = logger("timer")
    }
}
