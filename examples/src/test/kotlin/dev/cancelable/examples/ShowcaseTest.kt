package dev.cancelable.examples

import dev.cancelable.examples.support.DemoSignals
import dev.cancelable.registry.OperationFilter
import dev.cancelable.registry.OperationRegistry
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import kotlin.time.Duration.Companion.milliseconds

/** The README's first command: the tour, its options, and Ctrl-C. */
@Timeout(60)
class ShowcaseTest {

    @Test
    fun tourShowsEveryStepAndEndsWithTheRegistryTree() {
        val registry = OperationRegistry()
        var completed = false
        val run = captureStdout { completed = runBlocking { Tour(registry, pace = 0.2).run() } }
        assertTrue(completed)
        val out = run.output
        for (line in listOf(
            "1. A pipeline", "pipeline completed: 3 stages, 120 records",
            "report canceled after", "timeout - Operation timed out",
            "upload canceled from thread 'operator'", "manual - operator pressed stop",
            "export canceled at disk", "condition - Condition 'disk_full' met",
            "nightly-batch canceled: manual - maintenance window closed",
            "resize-1: canceled, parent - Operation canceled: parent 'nightly-batch'",
            "6. The registry", "showcase ", "├── pipeline", "│   ├── fetch", "└── nightly-batch", "└── resize-3",
            "statistics: 12 finished (5 completed, 7 canceled), 0 still running", "Tour completed in",
        )) {
            assertTrue(out.contains(line)) { "no '$line' in:\n$out" }
        }
        assertTrue(Regex("""fetch +100% """).containsMatchIn(out), "progress bars print in plain mode")
        assertEquals(0, registry.activeCount)
    }

    @Test
    fun aSignalCancelsTheTourCleanly() {
        val registry = OperationRegistry()
        var completed = true
        val run = captureStdout {
            completed = runBlocking {
                val tour = async { Tour(registry).run() }
                // Raise only once the tour watches the signal, and long before it could end (about 6 s).
                while (registry.list(OperationFilter(namePattern = "pipeline")).isEmpty()) delay(1.milliseconds)
                DemoSignals.raise("TERM")
                tour.await()
            }
        }
        assertFalse(completed)
        assertTrue(run.output.contains("Tour canceled by SIGTERM: Received signal SIGTERM (15)")) { run.output }
        assertTrue(run.output.contains("Tour canceled cleanly in")) { run.output }
        assertTrue(run.output.contains("0 still running")) { run.output }
        assertEquals("signal", registry.history().single { it.name == "showcase" }.cancelReason?.toString())
        assertEquals("parent", registry.history().single { it.name == "pipeline" }.cancelReason?.toString())
    }

    @Test
    fun listNamesEveryExample() {
        val out = captureStdout { main(arrayOf("--list")) }.output
        for (example in ExampleCatalog.all) assertTrue(out.contains(example.name)) { "--list misses ${example.name}" }
        assertTrue(out.contains("cancel-from-coroutine  Kotlin only"))
    }

    @Test
    fun exampleRunsOneByNameInEitherLanguage() {
        val kotlin = captureStdout { main(arrayOf("--example", "condition")) }.output
        assertTrue(kotlin.contains("== condition (Kotlin)") && kotlin.contains("slow-consumer canceled"), kotlin)
        val java = captureStdout { main(arrayOf("--example", "condition", "--java")) }.output
        assertTrue(java.contains("== condition (Java)") && java.contains("slow-consumer canceled"), java)
    }

    @Test
    fun unknownNamesAndOptionsAreRejected() {
        assertThrows(IllegalArgumentException::class.java) { main(arrayOf("--example", "nope")) }
        assertThrows(IllegalArgumentException::class.java) { main(arrayOf("--example")) }
        assertThrows(IllegalArgumentException::class.java) { main(arrayOf("--bogus")) }
        assertThrows(IllegalArgumentException::class.java) { main(arrayOf("--example", "cancel-from-coroutine", "--java")) }
    }
}
