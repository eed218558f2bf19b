package dev.cancelable.registry

import dev.cancelable.CancellationReason
import dev.cancelable.Cancelable
import dev.cancelable.CanceledManuallyException
import dev.cancelable.OperationContext
import dev.cancelable.OperationStatus
import dev.cancelable.ProgressReport
import dev.cancelable.testing.MutableClock
import dev.cancelable.testing.capturingLogs
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.yield
import java.time.Duration
import java.time.Instant
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread

/** Starts [op] in [scope] and returns once it is running; the job ends when the op does. */
private suspend fun CoroutineScope.startRunning(op: Cancelable, body: suspend () -> Unit = { awaitCancellation() }): Job {
    val running = CompletableDeferred<Unit>()
    val job = launch { runCatching { op.run { running.complete(Unit); body() } } }
    running.await()
    return job
}

class OperationRegistryTest : FunSpec({

    test("the global registry is one instance; running operations are found by id, finished ones in history [scenario 97]") {
        OperationRegistry.global shouldBeSameInstanceAs OperationRegistry.global
        runTest {
            val op = Cancelable(name = "global-lookup")
            op.run { OperationRegistry.global.get(op.id) shouldBeSameInstanceAs op }
            OperationRegistry.global.get(op.id).shouldBeNull()
            OperationRegistry.global.history().last { it.id == op.id }.status shouldBe OperationStatus.COMPLETED

            val private = OperationRegistry()
            val mine = Cancelable(name = "private", registry = private)
            mine.run {
                private.get(mine.id) shouldBeSameInstanceAs mine
                OperationRegistry.global.get(mine.id).shouldBeNull()
            }
            private.history().single().id shouldBe mine.id
            OperationRegistry.global.history().none { it.id == mine.id } shouldBe true
        }
    }

    test("listing by status, by parent id and by name pattern [scenario 98]") {
        runTest {
            val registry = OperationRegistry()
            val op1 = Cancelable(name = "user_123_job", registry = registry)
            val releaseOp2 = CompletableDeferred<Unit>()
            val op2 = Cancelable(name = "child_one", registry = registry).onCompleted { releaseOp2.await() }
            val op1Job = startRunning(op1)
            val op2Job = launch { op2.run { } }
            yield()
            op2.status shouldBe OperationStatus.COMPLETED
            val op3 = Cancelable(name = "child_two", parent = op1, registry = registry)
            val op3Job = startRunning(op3)

            registry.list(OperationFilter(status = OperationStatus.RUNNING)).map { it.id } shouldContainExactlyInAnyOrder listOf(op1.id, op3.id)
            registry.list(OperationFilter(status = OperationStatus.COMPLETED)).map { it.id } shouldBe listOf(op2.id)
            registry.list(OperationFilter(parentId = op1.id)).map { it.id } shouldBe listOf(op3.id)
            registry.list(OperationFilter(namePattern = "user_123_*")).map { it.name } shouldBe listOf("user_123_job")
            registry.list(OperationFilter(namePattern = "child")).map { it.name } shouldContainExactlyInAnyOrder listOf("child_one", "child_two")
            registry.list(OperationFilter(namePattern = "child_?ne")).map { it.name } shouldBe listOf("child_one")
            registry.list(OperationFilter(predicate = { it.name.endsWith("two") })).map { it.name } shouldBe listOf("child_two")
            registry.list(OperationFilter(predicate = { it.name == "child_two" })).map { it.id } shouldBe listOf(op3.id)

            releaseOp2.complete(Unit)
            op2Job.join()
            op1.cancel()
            op1Job.join()
            op3Job.join()
            registry.activeCount shouldBe 0
        }
    }

    test("cancel by id cancels a running operation; an unknown id returns false [scenario 99]") {
        runTest {
            val registry = OperationRegistry()
            val op = Cancelable(name = "target", registry = registry)
            val job = startRunning(op)
            registry.cancel(op.id, CancellationReason.MANUAL, "Test cancellation") shouldBe true
            registry.cancel(op.id) shouldBe false
            job.join()
            op.status shouldBe OperationStatus.CANCELED
            op.cancelMessage shouldBe "Test cancellation"
            registry.cancel("no-such-id") shouldBe false
        }
    }

    test("cancelAll cancels what matches each filter and returns how many it canceled [scenario 100]") {
        runTest {
            val clock = MutableClock()
            val registry = OperationRegistry(clock = clock)
            val old = Cancelable(name = "report_old", registry = registry)
            val oldJob = startRunning(old)
            clock.advance(Duration.ofMinutes(10))
            val young = Cancelable(name = "report_new", registry = registry)
            val youngJob = startRunning(young)
            val other = Cancelable(name = "sync", registry = registry)
            val otherJob = startRunning(other)
            val alreadyCanceled = Cancelable(name = "report_done", registry = registry)
            val alreadyJob = startRunning(alreadyCanceled) { try { awaitCancellation() } finally { kotlinx.coroutines.withContext(kotlinx.coroutines.NonCancellable) { delay(1000) } } }
            alreadyCanceled.cancel()

            registry.cancelAll(OperationFilter(minAge = Duration.ofMinutes(5))) shouldBe 1
            old.isCanceled shouldBe true
            registry.cancelAll(OperationFilter(namePattern = "report_*")) shouldBe 1
            young.isCanceled shouldBe true
            registry.cancelAll(OperationFilter(maxAge = Duration.ofMinutes(1), predicate = { it.name == "nothing" })) shouldBe 0
            registry.cancelAll(OperationFilter(status = OperationStatus.RUNNING, maxAge = Duration.ofMinutes(1))) shouldBe 1
            other.isCanceled shouldBe true
            listOf(oldJob, youngJob, otherJob, alreadyJob).forEach { it.join() }
            registry.activeCount shouldBe 0
        }
    }

    test("history by status, by limit (most recent kept, oldest first) and since an instant [scenario 101]") {
        runTest {
            val clock = MutableClock()
            val registry = OperationRegistry(clock = clock)
            Cancelable(name = "a", registry = registry).run { }
            clock.advance(Duration.ofSeconds(10))
            val cutoff = clock.instant()
            runCatching { Cancelable(name = "b", registry = registry).run { error("x") } }
            clock.advance(Duration.ofSeconds(10))
            Cancelable(name = "c", registry = registry).run { }

            registry.history().map { it.name } shouldBe listOf("a", "b", "c")
            registry.history().takeLast(2).map { it.name } shouldBe listOf("b", "c")
            registry.history(OperationFilter(status = OperationStatus.COMPLETED)).map { it.name } shouldBe listOf("a", "c")
            registry.history(OperationFilter(endedSince = cutoff)).map { it.name } shouldBe listOf("b", "c")
            registry.history().takeLast(0).shouldBeEmpty()
        }
    }

    test("history is a ring bounded by historyLimit") {
        runTest {
            val registry = OperationRegistry(historyLimit = 3)
            repeat(5) { Cancelable(name = "op$it", registry = registry).run { } }
            registry.history().map { it.name } shouldBe listOf("op2", "op3", "op4")
            val none = OperationRegistry(historyLimit = 0)
            Cancelable(registry = none).run { }
            none.history().shouldBeEmpty()
        }
    }

    test("a negative history limit is refused naming the parameter") {
        shouldThrow<IllegalArgumentException> { OperationRegistry(historyLimit = -1) }.message shouldBe "historyLimit must not be negative, was -1"
    }

    test("cleanupCompleted removes exactly the old entries, keeping failures when asked [scenario 103]") {
        runTest {
            val clock = MutableClock()
            val registry = OperationRegistry(clock = clock)
            Cancelable(name = "old-ok", registry = registry).run { }
            runCatching { Cancelable(name = "old-failed", registry = registry).run { error("x") } }
            clock.advance(Duration.ofHours(2))
            Cancelable(name = "new-ok", registry = registry).run { }

            registry.cleanupCompleted(olderThan = Duration.ofHours(1), keepFailed = true) shouldBe 1
            registry.history().map { it.name } shouldBe listOf("old-failed", "new-ok")
            registry.cleanupCompleted(olderThan = Duration.ofHours(1), keepFailed = false) shouldBe 1
            registry.history().map { it.name } shouldBe listOf("new-ok")
            registry.cleanupCompleted() shouldBe 1
            registry.history().shouldBeEmpty()
        }
    }

    test("a negative age for a filter or for cleanupCompleted is refused naming the parameter, and touches nothing") {
        runTest {
            val registry = OperationRegistry()
            Cancelable(name = "done", registry = registry).run { }
            val running = Cancelable(name = "running", registry = registry)
            val job = startRunning(running)
            shouldThrow<IllegalArgumentException> { registry.cancelAll(OperationFilter(minAge = Duration.ofSeconds(-1))) }.message shouldBe
                "minAge must not be negative, was PT-1S"
            shouldThrow<IllegalArgumentException> { registry.cancelAll(OperationFilter(maxAge = Duration.ofMillis(-1))) }.message shouldBe
                "maxAge must not be negative, was PT-0.001S"
            shouldThrow<IllegalArgumentException> { registry.cleanupCompleted(Duration.ofMinutes(-1), true) }.message shouldBe
                "olderThan must not be negative, was PT-1M"
            running.isCanceled shouldBe false
            registry.history().map { it.name } shouldBe listOf("done")
            registry.cancelAll(OperationFilter(minAge = Duration.ZERO)) shouldBe 1
            job.join()
        }
    }

    test("statistics count active and historic operations by status and average completed durations [scenario 104]") {
        runTest {
            val clock = MutableClock()
            val registry = OperationRegistry(clock = clock)
            for (ms in listOf(100L, 300L)) {
                Cancelable(registry = registry).run { clock.advance(Duration.ofMillis(ms)) }
            }
            runCatching { Cancelable(registry = registry).run { error("x") } }
            val running = Cancelable(registry = registry)
            val job = startRunning(running)
            val stats = registry.statistics()
            stats.activeCount shouldBe 1
            stats.activeByStatus shouldBe mapOf(OperationStatus.RUNNING to 1)
            stats.historySize shouldBe 3
            stats.historyByStatus shouldBe mapOf(OperationStatus.COMPLETED to 2, OperationStatus.FAILED to 1)
            stats.completedCount shouldBe 2
            stats.averageCompletedDuration shouldBe Duration.ofMillis(200)
            running.cancel()
            job.join()
            OperationRegistry().statistics().averageCompletedDuration.shouldBeNull()
        }
    }

    test("an operation is listed while it runs and removed on every exit path; opted out, never [scenario 105]") {
        runTest {
            val registry = OperationRegistry()
            val exits = listOf<suspend () -> Unit>({ }, { error("boom") }, { currentOperationCancel() })
            for (exit in exits) {
                val op = Cancelable(registry = registry)
                runCatching { op.run { registry.get(op.id) shouldBeSameInstanceAs op; exit() } }
                registry.get(op.id).shouldBeNull()
                registry.activeCount shouldBe 0
            }
            registry.history().map { it.status } shouldBe listOf(OperationStatus.COMPLETED, OperationStatus.FAILED, OperationStatus.CANCELED)
            val hidden = Cancelable(registry = null)
            hidden.run { OperationRegistry.global.get(hidden.id).shouldBeNull() }
            OperationRegistry.global.history().none { it.id == hidden.id } shouldBe true
        }
    }

    test("concurrent reads from many threads never fail and agree with each other [scenario 106]") {
        runTest {
            val registry = OperationRegistry()
            val ops = List(20) { Cancelable(name = "reader_$it", registry = registry) }
            val jobs = ops.map { startRunning(it) }
            val expected = registry.list().map { it.id }.toSet()
            val failures = java.util.concurrent.ConcurrentLinkedQueue<Throwable>()
            val threads = List(5) {
                thread {
                    repeat(100) {
                        try {
                            val ids = registry.list().map { it.id }.toSet()
                            val stats = registry.statistics()
                            check(ids == expected) { "list disagrees" }
                            check(stats.activeCount == expected.size && stats.activeByStatus.values.sum() == expected.size) { "statistics disagree" }
                        } catch (e: Throwable) {
                            failures += e
                        }
                    }
                }
            }
            threads.forEach { it.join() }
            failures.shouldBeEmpty()
            ops.forEach { it.cancel() }
            jobs.forEach { it.join() }
        }
    }

    test("canceling through the registry from a plain thread reaches the running block at once [scenario 107]") {
        kotlinx.coroutines.runBlocking {
            val registry = OperationRegistry()
            val op = Cancelable(name = "long", registry = registry)
            val running = CountDownLatch(1)
            val canceller = thread {
                running.await(10, TimeUnit.SECONDS)
                registry.cancel(op.id, CancellationReason.MANUAL, "from operator thread")
            }
            shouldThrow<CanceledManuallyException> {
                op.run {
                    running.countDown()
                    delay(60_000)
                }
            }.message shouldBe "from operator thread"
            canceller.join()
        }
    }

    test("snapshots are immutable and history never hands out live objects") {
        runTest {
            val registry = OperationRegistry()
            val op = Cancelable(name = "frozen", metadata = mapOf("k" to "v"), registry = registry)
            val child = Cancelable(parent = op, registry = null)
            op.run {
                val live = registry.list().single()
                shouldThrow<UnsupportedOperationException> { (live.metadata as MutableMap<String, Any?>)["k"] = "changed" }
                shouldThrow<UnsupportedOperationException> { (live.childIds as MutableSet<String>).add("x") }
                live.childIds shouldBe setOf(child.id)
                operation.putMetadata("k", "updated")
                live.metadata["k"] shouldBe "v"
            }
            val finished = registry.history().single()
            (finished as Any is Cancelable) shouldBe false
            op.putMetadata("after", 1)
            finished.metadata shouldBe mapOf("k" to "updated")
            registry.history().single() shouldBe finished
        }
    }

    test("a listener hears each operation start, report progress and finish, in order; a failing one is logged; closing removes it") {
        runTest {
            val registry = OperationRegistry()
            val heard = CopyOnWriteArrayList<String>()
            var finished: OperationSnapshot? = null
            val failing = registry.addListener(object : OperationListener {
                override fun onStarted(operation: OperationContext) = error("listener failed")
            })
            val listening = registry.addListener(object : OperationListener {
                override fun onStarted(operation: OperationContext) {
                    heard += "started ${operation.name} ${operation.status}"
                }

                override fun onProgress(report: ProgressReport) {
                    heard += "progress ${report.operation.name} ${report.message} ${report.metadata}"
                }

                override fun onFinished(snapshot: OperationSnapshot) {
                    heard += "finished ${snapshot.name} ${snapshot.status}"
                    finished = snapshot
                }
            })
            capturingLogs { logs ->
                Cancelable(name = "heard", registry = registry).run { reportProgress("half", mapOf("n" to 1)) }
                logs.warningsContaining("operation listener").size shouldBe 1
            }
            heard shouldBe listOf("started heard running", "progress heard half {n=1}", "finished heard completed")
            finished shouldBeSameInstanceAs registry.history().single()

            failing.close()
            listening.close()
            Cancelable(name = "unheard", registry = registry).run { reportProgress("nobody listens") }
            heard.size shouldBe 3
        }
    }
})

private suspend fun currentOperationCancel() {
    dev.cancelable.currentOperation()!!.cancel()
    delay(1)
}
