package dev.cancelable.reliability

import dev.cancelable.OperationCanceledException
import dev.cancelable.CancellationReason
import dev.cancelable.CancellationToken
import dev.cancelable.Cancelable
import dev.cancelable.OperationScope
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.source.CancellationSource
import dev.cancelable.source.TimeoutSource
import dev.cancelable.source.TokenSource
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import java.lang.ref.WeakReference
import java.util.concurrent.ThreadLocalRandom
import java.util.concurrent.locks.LockSupport
import kotlin.time.Duration.Companion.milliseconds

/**
 * The operations of a reliability run, drawn at random: short timeouts (1-5 ms, so they fire
 * often, mid-work), tokens and registry or direct cancels served by [Cancelers], blocks that throw,
 * blocks that catch their cancellation and return, progress reports, shields, and nested children.
 * Each run is checked by its [Probe] the moment it returns.
 */
internal class OperationMix(
    private val invariants: Invariants,
    private val registry: OperationRegistry,
    private val cancelers: Cancelers,
    /** Never canceled: every token-bound operation's token is linked to it, and must unlink. */
    val rootToken: CancellationToken,
    /** Never canceled: every token-bound operation also watches it, and must unregister. */
    val sharedToken: CancellationToken,
    private val samples: MutableCollection<WeakReference<Cancelable>>,
    private val sampleEvery: Int,
) {
    private enum class CancelMode { NONE, TOKEN_BEFORE, TOKEN_DURING, REGISTRY, DIRECT }

    /** One top-level operation's plan, shared by the suspend and the blocking scripts. */
    private class Plan(val op: Cancelable, val probe: Probe, val mode: CancelMode, val token: CancellationToken?, val tokenReason: CancellationReason)

    private fun plan(index: Int, prefix: String): Plan {
        val rnd = ThreadLocalRandom.current()
        val timeoutMs = if (rnd.nextInt(10) < 7) 1L + rnd.nextInt(5) else 50L
        val mode = when (rnd.nextInt(20)) {
            in 0..7 -> CancelMode.NONE
            in 8..9 -> CancelMode.TOKEN_BEFORE
            in 10..13 -> CancelMode.TOKEN_DURING
            in 14..16 -> CancelMode.REGISTRY
            else -> CancelMode.DIRECT
        }
        val tokenReason = TOKEN_REASONS[rnd.nextInt(TOKEN_REASONS.size)]
        val allowed = mutableSetOf(CancellationReason.TIMEOUT)
        when (mode) {
            CancelMode.TOKEN_BEFORE, CancelMode.TOKEN_DURING -> allowed += tokenReason
            CancelMode.REGISTRY, CancelMode.DIRECT -> allowed += CancellationReason.MANUAL
            CancelMode.NONE -> Unit
        }
        val sources = mutableListOf<CancellationSource>(TimeoutSource(timeoutMs.milliseconds))
        var token: CancellationToken? = null
        if (mode == CancelMode.TOKEN_BEFORE || mode == CancelMode.TOKEN_DURING) {
            token = CancellationToken(linkedTo = listOf(rootToken))
            sources += TokenSource(token)
            sources += TokenSource(sharedToken)
        }
        val op = Cancelable(name = "$prefix-$index", sources = sources, registry = registry)
        if (index % sampleEvery == 0) samples += WeakReference(op)
        val probe = Probe(invariants, registry, allowed, parent = null).also { it.watch(op) }
        if (mode == CancelMode.TOKEN_BEFORE) cancelers.cancelToken(token!!, tokenReason)
        return Plan(op, probe, mode, token, tokenReason)
    }

    /** Asks the cancelers for the cancel a plan calls for, once its operation runs. */
    private fun requestCancel(plan: Plan) {
        when (plan.mode) {
            CancelMode.TOKEN_DURING -> cancelers.cancelToken(plan.token!!, plan.tokenReason)
            CancelMode.REGISTRY -> cancelers.cancelThroughRegistry(plan.op)
            CancelMode.DIRECT -> cancelers.cancelDirectly(plan.op)
            else -> Unit
        }
    }

    /** After the run: the operation's token must hold no registration, and unlinks from the root. */
    private fun release(plan: Plan) {
        val token = plan.token ?: return
        token.close()
        if (token.registrationCount != 0) invariants.violation(Invariant.REGISTRATIONS, "${plan.op.name}'s token holds ${token.registrationCount} registrations")
    }

    // ---- suspend operations ----------------------------------------------------------------------

    suspend fun runSuspend(index: Int) {
        invariants.suspendOps.increment()
        val plan = plan(index, "s")
        val rnd = ThreadLocalRandom.current()
        val throws = rnd.nextInt(100) < 15
        val catches = !throws && rnd.nextInt(100) < 8
        val shield = rnd.nextInt(100) < 15
        val children = if (!catches && rnd.nextInt(100) < 20) 1 + rnd.nextInt(3) else 0
        val concurrentChildren = rnd.nextBoolean()
        val viaRunOrNull = rnd.nextInt(100) < 10
        val probe = plan.probe
        val block: suspend OperationScope.() -> Any? = {
            requestCancel(plan)
            if (catches) {
                try {
                    work(probe, steps = 2)
                } catch (_: CancellationException) {
                }
            } else {
                work(probe, steps = 1 + ThreadLocalRandom.current().nextInt(2))
                if (shield) shielded(probe)
                repeat(children) {
                    if (concurrentChildren) launch { runChild(it, probe, depth = 1) } else runChild(it, probe, depth = 1)
                }
                if (throws) probe.fail()
                probe.leftChildren = concurrentChildren && children > 0
            }
            probe.blockReturned = true
            "done"
        }
        val outcome = try {
            Outcome.Returned(if (viaRunOrNull) plan.op.runOrNull(block) else plan.op.run(block))
        } catch (e: Throwable) {
            Outcome.Threw(e)
        }
        probe.verify(plan.op, outcome, blocking = false, viaRunOrNull = viaRunOrNull)
        release(plan)
    }

    private suspend fun OperationScope.work(probe: Probe, steps: Int) {
        repeat(steps) {
            delay(ThreadLocalRandom.current().nextLong(4).milliseconds)
            if (ThreadLocalRandom.current().nextBoolean()) report(probe)
        }
    }

    private suspend fun OperationScope.report(probe: Probe) {
        probe.reported()
        invariants.progressReports.increment()
        reportProgress("step", mapOf("at" to System.nanoTime()))
    }

    private suspend fun OperationScope.shielded(probe: Probe) {
        invariants.shields.increment()
        probe.shieldsEntered.incrementAndGet()
        shield {
            delay((1L + ThreadLocalRandom.current().nextInt(2)).milliseconds)
            report(probe)
            probe.shieldsFinished.incrementAndGet()
        }
    }

    /** A child of the running operation: its own short timeout, sometimes a failure, sometimes a grandchild. */
    private suspend fun runChild(n: Int, parent: Probe, depth: Int) {
        val rnd = ThreadLocalRandom.current()
        val sources = mutableListOf<CancellationSource>()
        val allowed = mutableSetOf(CancellationReason.PARENT)
        if (rnd.nextBoolean()) {
            sources += TimeoutSource((1L + rnd.nextInt(5)).milliseconds)
            allowed += CancellationReason.TIMEOUT
        }
        val op = Cancelable(name = "c$depth-$n", sources = sources, registry = registry)
        val probe = Probe(invariants, registry, allowed, parent).also { it.watch(op) }
        val throws = rnd.nextInt(100) < 15
        val grandchild = depth < 3 && rnd.nextInt(100) < 20
        val outcome = try {
            Outcome.Returned(
                op.run {
                    work(probe, steps = 1)
                    if (grandchild) runChild(0, probe, depth + 1)
                    if (throws) probe.fail()
                    probe.blockReturned = true
                    n
                },
            )
        } catch (e: Throwable) {
            Outcome.Threw(e)
        }
        probe.verify(op, outcome, blocking = false)
    }

    // ---- blocking operations ---------------------------------------------------------------------

    fun runBlocking(index: Int) {
        invariants.blockingOps.increment()
        val plan = plan(index, "b")
        val rnd = ThreadLocalRandom.current()
        val interrupts = rnd.nextInt(100) < 80
        val throws = rnd.nextInt(100) < 15
        val catches = !throws && rnd.nextInt(100) < 8
        val nested = !catches && rnd.nextInt(100) < 15
        val probe = plan.probe
        val outcome = try {
            Outcome.Returned(
                plan.op.callBlocking(interruptOnCancel = interrupts) { op ->
                    requestCancel(plan)
                    try {
                        blockingWork(op, probe, interrupts)
                        if (nested) nestedBlocking(probe)
                    } catch (e: Throwable) {
                        if (!catches || !(e is InterruptedException || e is OperationCanceledException)) throw e
                    }
                    if (throws) probe.fail()
                    probe.blockReturned = true
                    "done"
                },
            )
        } catch (e: Throwable) {
            Outcome.Threw(e)
        }
        if (Thread.interrupted()) {
            invariants.leakedInterrupts.increment()
            invariants.violation(
                Invariant.THREADS,
                "an interrupt leaked out of ${plan.op.name} (${plan.op.status}, '${plan.op.cancelMessage}', " +
                    "interrupts=$interrupts nested=$nested catches=$catches throws=$throws)",
            )
        }
        probe.verify(plan.op, outcome, blocking = true)
        release(plan)
    }

    /** Sleeps (interruptible) or polls (with interrupts off) for up to 6 ms, reporting progress. */
    private fun blockingWork(op: Cancelable, probe: Probe, interrupts: Boolean) {
        val rnd = ThreadLocalRandom.current()
        repeat(1 + rnd.nextInt(2)) {
            val millis = rnd.nextLong(4)
            if (interrupts) {
                Thread.sleep(millis)
            } else {
                val until = System.nanoTime() + millis * 1_000_000
                do {
                    op.throwIfCanceled()
                    LockSupport.parkNanos(100_000)
                } while (System.nanoTime() < until)
            }
            op.throwIfCanceled()
            if (rnd.nextBoolean()) {
                probe.reported()
                invariants.progressReports.increment()
                op.reportProgress("step")
            }
        }
    }

    /** A blocking child inside a blocking operation, on the same thread; its parent's cancel reaches it. */
    private fun nestedBlocking(parent: Probe) {
        val child = Cancelable(name = "bc", registry = registry)
        val probe = Probe(invariants, registry, setOf(CancellationReason.PARENT), parent).also { it.watch(child) }
        val outcome = try {
            Outcome.Returned(
                child.callBlocking { op ->
                    blockingWork(op, probe, interrupts = true)
                    probe.blockReturned = true
                    "child"
                },
            )
        } catch (e: Throwable) {
            Outcome.Threw(e)
        }
        probe.verify(child, outcome, blocking = true)
        // The parent decides: its pending cancel, if any, lands at its next check.
        Cancelable.current()?.throwIfCanceled()
    }

    private companion object {
        val TOKEN_REASONS = listOf(CancellationReason.MANUAL, CancellationReason.SIGNAL, CancellationReason.CONDITION)
    }
}
