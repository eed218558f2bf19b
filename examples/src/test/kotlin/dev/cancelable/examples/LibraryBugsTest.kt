package dev.cancelable.examples

import dev.cancelable.Cancelable
import dev.cancelable.CancelationReason
import dev.cancelable.ManualCancelation
import dev.cancelable.OperationStatus
import dev.cancelable.TimeoutCancelation
import dev.cancelable.registry.OperationRegistry
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Disabled
import org.junit.jupiter.api.Test
import java.lang.management.ManagementFactory
import javax.management.ObjectName
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/** Library behaviours found while writing the examples that contradict its contract; each is disabled until fixed. */
class LibraryBugsTest {

    @Test
    @Disabled(
        "cancelable-core: an operation detaches its sources when its block's body returns, before the coroutines " +
            "the block launched have finished (run then waits for them): a 100 ms timeout no longer covers a child " +
            "that runs 1 s, run returns normally and the operation is COMPLETED. kotlinx's withTimeout { launch { } } " +
            "cancels the child at 100 ms and throws.",
    )
    fun timeoutCoversTheCoroutinesTheBlockLaunched() = runTest {
        val registry = OperationRegistry()
        val op = Cancelable.withTimeout(100.milliseconds, name = "batch", registry = registry)
        val outcome = runCatching {
            op.run {
                launch { Cancelable(name = "child", registry = registry).run { delay(1.seconds) } }
            }
        }
        assertEquals(100L, currentTime, "run should end when the timeout fires")
        assertTrue(outcome.exceptionOrNull() is TimeoutCancelation) { "run returned $outcome" }
        assertEquals(OperationStatus.CANCELED, op.status)
        assertEquals("parent", registry.history().single { it.name == "child" }.cancelReason?.value)
    }

    @Test
    @Disabled(
        "cancelable-core: a cancel() that lands while run waits for the coroutines its block launched cancels " +
            "them (PARENT) but run returns normally and the operation ends COMPLETED, with the MANUAL reason recorded.",
    )
    fun cancelWhileWaitingForLaunchedCoroutinesMakesRunThrow() = runTest {
        val registry = OperationRegistry()
        val op = Cancelable(name = "batch", registry = registry)
        launch {
            delay(100.milliseconds)
            op.cancel(CancelationReason.MANUAL, "stop")
        }
        val outcome = runCatching {
            op.run {
                launch { Cancelable(name = "child", registry = registry).run { delay(1.seconds) } }
            }
        }
        assertEquals("parent", registry.history().single { it.name == "child" }.cancelReason?.value)
        assertTrue(outcome.exceptionOrNull() is ManualCancelation) { "run returned $outcome" }
        assertEquals(OperationStatus.CANCELED, op.status)
    }

    @Test
    @Disabled(
        "cancelable-core: OperationRegistry.exposeJmx documents the MBean as " +
            "dev.cancelable:type=OperationRegistry,name=<name> but registers name=\"<name>\" (quoted), so a client " +
            "that builds the documented name finds nothing.",
    )
    fun jmxViewIsRegisteredUnderTheDocumentedName() {
        OperationRegistry().exposeJmx("docs").use {
            val documented = ObjectName("dev.cancelable:type=OperationRegistry,name=docs")
            assertTrue(ManagementFactory.getPlatformMBeanServer().isRegistered(documented))
        }
    }
}
