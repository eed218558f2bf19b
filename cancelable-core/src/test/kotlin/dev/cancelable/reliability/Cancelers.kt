package dev.cancelable.reliability

import dev.cancelable.CancellationReason
import dev.cancelable.CancellationToken
import dev.cancelable.Cancelable
import dev.cancelable.registry.OperationRegistry
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.ThreadLocalRandom
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

/**
 * Four plain threads that cancel what operations ask them to while those operations run: tokens
 * (each handed to two of the threads, which race to cancel it; exactly one may win), operations
 * through the registry, and operations directly. A request is served after a random short spin, so
 * cancels land anywhere in a run: before it starts, while it works, while it ends, or after.
 */
internal class Cancelers(private val invariants: Invariants, private val registry: OperationRegistry) {
    private sealed class Request {
        class Token(val token: CancellationToken, val reason: CancellationReason) : Request() {
            val attempts = AtomicInteger()
            val wins = AtomicInteger()
        }
        class ThroughRegistry(val id: String) : Request()
        class Direct(val op: Cancelable) : Request()
    }

    private val queue = LinkedBlockingQueue<Request>()
    @Volatile private var stopping = false
    val threads: List<Thread> = List(4) { n -> Thread(::serve, "stress-canceler-$n").apply { isDaemon = true } }

    fun start() = threads.forEach(Thread::start)

    /** Asks for [token] to be canceled with [reason]; two threads race for it. */
    fun cancelToken(token: CancellationToken, reason: CancellationReason) {
        val request = Request.Token(token, reason)
        queue.add(request)
        queue.add(request)
    }

    fun cancelThroughRegistry(op: Cancelable) = queue.add(Request.ThroughRegistry(op.id))

    fun cancelDirectly(op: Cancelable) = queue.add(Request.Direct(op))

    /** Serves what is left, then ends the threads; false if one is still alive after [timeoutMillis]. */
    fun stop(timeoutMillis: Long): Boolean {
        stopping = true
        val deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis)
        for (thread in threads) thread.join(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()).coerceAtLeast(1))
        return threads.none { it.isAlive }
    }

    private fun serve() {
        while (true) {
            val request = queue.poll(20, TimeUnit.MILLISECONDS)
            if (request == null) {
                if (stopping && queue.isEmpty()) return
                continue
            }
            repeat(ThreadLocalRandom.current().nextInt(200)) { Thread.onSpinWait() }
            try {
                handle(request)
            } catch (e: Throwable) {
                invariants.violation(Invariant.TOKENS, "a cancel threw ${e.javaClass.name}: ${e.message}")
            }
        }
    }

    private fun handle(request: Request) {
        when (request) {
            is Request.Token -> {
                if (request.token.cancel(request.reason, "stress ${request.reason}")) request.wins.incrementAndGet()
                invariants.cancelAttempts.increment()
                if (request.attempts.incrementAndGet() == 2) {
                    invariants.tokensCanceled.increment()
                    if (request.wins.get() != 1) {
                        invariants.violation(Invariant.TOKENS, "token ${request.token.id} was canceled ${request.wins.get()} times by racing threads")
                    }
                }
            }
            is Request.ThroughRegistry -> {
                registry.cancel(request.id, CancellationReason.MANUAL, "stress registry cancel")
                invariants.registryCancels.increment()
            }
            is Request.Direct -> {
                request.op.cancel(CancellationReason.MANUAL, "stress direct cancel")
                invariants.directCancels.increment()
            }
        }
    }
}
