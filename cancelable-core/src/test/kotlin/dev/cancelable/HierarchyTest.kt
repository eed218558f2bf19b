package dev.cancelable

import dev.cancelable.registry.OperationFilter
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.testing.capturingLogs
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

class HierarchyTest : FunSpec({

    test("canceling a parent cancels its children with PARENT and a message naming the parent [scenario 66]") {
        runTest {
            val parent = Cancelable(name = "parent", registry = null)
            val c1 = Cancelable(name = "c1", parent = parent, registry = null)
            val c2 = Cancelable(name = "c2", parent = parent, registry = null)
            parent.childIds shouldContainExactlyInAnyOrder setOf(c1.id, c2.id)
            parent.cancel()
            for (child in listOf(c1, c2)) {
                child.isCanceled shouldBe true
                child.cancelReason shouldBe CancellationReason.PARENT
                child.cancelMessage!! shouldContain parent.id
                child.cancelMessage!! shouldContain "parent"
                shouldThrow<CanceledByParentException> { child.run { delay(1) } }
                child.status shouldBe OperationStatus.CANCELED
            }
            shouldThrow<CanceledManuallyException> { parent.run { delay(1) } }
            parent.status shouldBe OperationStatus.CANCELED
        }
    }

    test("cancel without propagation leaves the children untouched [scenario 67]") {
        val parent = Cancelable(registry = null)
        val child = Cancelable(parent = parent, registry = null)
        parent.cancel(propagateToChildren = false)
        child.isCanceled shouldBe false
        child.cancelReason.shouldBeNull()
    }

    test("a child canceled earlier keeps its own reason when the parent is canceled later [scenario 68]") {
        val parent = Cancelable(registry = null)
        val child = Cancelable(parent = parent, registry = null)
        child.cancel(CancellationReason.TIMEOUT, "own deadline")
        parent.cancel()
        child.cancelReason shouldBe CancellationReason.TIMEOUT
        child.cancelMessage shouldBe "own deadline"
    }

    test("a child canceling itself never reaches its parent [scenario 69]") {
        runTest {
            val parent = Cancelable(name = "parent", registry = null)
            val child = Cancelable(name = "child", registry = null)
            val result = parent.run {
                child.runOrNull {
                    operation.cancel()
                    delay(1)
                }
                delay(10)
                "parent done"
            }
            result shouldBe "parent done"
            child.status shouldBe OperationStatus.CANCELED
            child.cancelReason shouldBe CancellationReason.MANUAL
            parent.status shouldBe OperationStatus.COMPLETED
            parent.isCanceled shouldBe false
        }
    }

    test("a parent that times out cancels the running child with PARENT [scenario 70]") {
        runTest {
            val parent = Cancelable(timeout = 100.milliseconds, name = "parent", registry = null)
            val child = Cancelable(name = "child", registry = null)
            shouldThrow<CanceledByTimeoutException> {
                parent.run { child.run { delay(1.seconds) } }
            }
            currentTime shouldBe 100
            child.parentId shouldBe parent.id
            child.status shouldBe OperationStatus.CANCELED
            child.cancelReason shouldBe CancellationReason.PARENT
            parent.cancelReason shouldBe CancellationReason.TIMEOUT
        }
    }

    test("canceling the root of a five-level recursion cancels every level, deepest first [scenario 71]") {
        runTest {
            val ended = mutableListOf<Int>()
            val levels = mutableListOf<Cancelable>()
            suspend fun descend(level: Int) {
                val op = Cancelable(name = "level$level", registry = null).onCanceled { ended += level }
                levels += op
                op.run { if (level < 5) descend(level + 1) else awaitCancellation() }
            }
            val root = launch { runCatching { descend(1) } }
            delay(10)
            levels.size shouldBe 5
            levels.first().cancel()
            root.join()
            levels.forEach { it.status shouldBe OperationStatus.CANCELED }
            ended shouldBe listOf(5, 4, 3, 2, 1)
            levels.drop(1).forEach { it.cancelReason shouldBe CancellationReason.PARENT }
        }
    }

    test("a child whose parent link cannot be made logs a warning and still runs [scenario 72]") {
        runTest {
            val ended = Cancelable(name = "ended", registry = null).also { it.run { } }
            capturingLogs { logs ->
                val child = Cancelable(name = "orphan", parent = ended, registry = null)
                child.run { "ran" } shouldBe "ran"
                child.parentId.shouldBeNull()
                logs.warningsContaining("cannot link to parent").size shouldBe 1
            }
        }
    }

    test("an explicit parent works across scopes: its cancel reaches a child running in another coroutine [rule 6]") {
        runTest {
            val parent = Cancelable(name = "request", registry = null)
            val parentRunning = CompletableDeferred<Unit>()
            val parentJob = launch {
                parent.runOrNull {
                    parentRunning.complete(Unit)
                    awaitCancellation()
                }
            }
            parentRunning.await()
            val child = Cancelable(name = "background", parent = parent, registry = null)
            val childJob = launch { runCatching { child.run { awaitCancellation() } } }
            delay(10)
            parent.cancel(CancellationReason.MANUAL, "client went away")
            childJob.join()
            parentJob.join()
            child.status shouldBe OperationStatus.CANCELED
            child.cancelReason shouldBe CancellationReason.PARENT
            child.cancelMessage!! shouldContain "request"
        }
    }

    test("a parent's cancel reaches a nested running child before cancel returns: reason, hooks and its Job [rule 6]") {
        runTest {
            val parent = Cancelable(name = "parent", registry = null)
            val child = Cancelable(name = "child", registry = null)
            var hookSaw: OperationCanceledException? = null
            var childJob: kotlinx.coroutines.Job? = null
            var thrown: Throwable? = null
            parent.runOrNull {
                val started = CompletableDeferred<Unit>()
                launch {
                    try {
                        child.run {
                            childJob = coroutineContext[kotlinx.coroutines.Job]
                            operation.onCancelRequested { hookSaw = it }
                            started.complete(Unit)
                            awaitCancellation()
                        }
                    } catch (e: Throwable) {
                        thrown = e
                        throw e
                    }
                }
                started.await()
                operation.cancel(CancellationReason.MANUAL, "stop")
                child.isCanceled shouldBe true
                child.cancelReason shouldBe CancellationReason.PARENT
                hookSaw.shouldBeInstanceOf<CanceledByParentException>()
                childJob!!.isCancelled shouldBe true
                awaitCancellation()
            }
            child.status shouldBe OperationStatus.CANCELED
            child.cancelReason shouldBe CancellationReason.PARENT
            // The child's caller was canceled with the parent: its cancellation propagates.
            (thrown is kotlinx.coroutines.CancellationException) shouldBe true
            parent.status shouldBe OperationStatus.CANCELED
            parent.cancelReason shouldBe CancellationReason.MANUAL
        }
    }

    test("a nested child becomes a child of the enclosing operation and leaves childIds when it ends [rule 6]") {
        runTest {
            val registry = OperationRegistry()
            val parent = Cancelable(name = "parent", registry = registry)
            parent.run {
                val child = Cancelable(name = "child", registry = registry)
                child.run {
                    child.parentId shouldBe parent.id
                    parent.childIds shouldBe setOf(child.id)
                    registry.list(OperationFilter(parentId = parent.id)).map { it.id } shouldBe listOf(child.id)
                }
                parent.childIds shouldBe emptySet()
            }
        }
    }

    test("a caller's own cancellation reaches an operation as PARENT and propagates untouched [rule 3]") {
        runTest {
            val op = Cancelable(name = "work", registry = null)
            var seen: Throwable? = null
            val caller = launch {
                try {
                    op.run { awaitCancellation() }
                } catch (e: Throwable) {
                    seen = e
                    throw e
                }
            }
            delay(10)
            caller.cancel(kotlinx.coroutines.CancellationException("caller gave up"))
            caller.join()
            op.status shouldBe OperationStatus.CANCELED
            op.cancelReason shouldBe CancellationReason.PARENT
            (seen is OperationCanceledException) shouldBe false
            seen!!.message shouldBe "caller gave up"
        }
    }

    test("a child whose block fails because its parent was canceled ends FAILED with that failure, PARENT recorded, as coroutineScope would [rule 3]") {
        runTest {
            val parent = Cancelable(name = "parent", registry = null)
            val child = Cancelable(name = "child", registry = null)
            val closed = java.io.IOException("socket closed")
            var seen: Throwable? = null
            var callerSaw: Throwable? = null
            val caller = launch {
                try {
                    parent.run {
                        try {
                            child.run {
                                try {
                                    awaitCancellation()
                                } catch (e: kotlinx.coroutines.CancellationException) {
                                    throw closed // what a socket read does when the cancel closes it
                                }
                            }
                        } catch (e: Throwable) {
                            seen = e
                            throw e
                        }
                    }
                } catch (e: java.io.IOException) {
                    callerSaw = e
                }
            }
            delay(10)
            parent.cancel(CancellationReason.MANUAL, "stop")
            caller.join()
            seen shouldBeSameInstanceAs closed
            callerSaw shouldBeSameInstanceAs closed
            child.status shouldBe OperationStatus.FAILED
            child.cancelReason shouldBe CancellationReason.PARENT
            parent.status shouldBe OperationStatus.FAILED
            parent.cancelReason shouldBe CancellationReason.MANUAL
        }
    }
})
