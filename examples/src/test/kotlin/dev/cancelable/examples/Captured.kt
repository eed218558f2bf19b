package dev.cancelable.examples

import dev.cancelable.examples.support.ProgressBars
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import kotlin.time.Duration
import kotlin.time.measureTimedValue

/** What a run printed on stdout, and how long it took. */
class Captured(val output: String, val took: Duration)

/**
 * Runs [block] with stdout captured and progress bars in plain mode (as when the output is piped, so
 * the examples' simulated people and models go at their fast pace too); restores both afterwards.
 * Runs are serialized: stdout is process-wide.
 */
fun captureStdout(block: () -> Unit): Captured = synchronized(Captured::class.java) {
    val buffer = ByteArrayOutputStream()
    val originalOut = System.out
    val originalProgress = System.getProperty(ProgressBars.PROPERTY)
    System.setProperty(ProgressBars.PROPERTY, "plain")
    val out = PrintStream(buffer, true, Charsets.UTF_8)
    System.setOut(out)
    try {
        val (_, took) = measureTimedValue { block() }
        out.flush()
        Captured(buffer.toString(Charsets.UTF_8), took)
    } finally {
        System.setOut(originalOut)
        if (originalProgress == null) System.clearProperty(ProgressBars.PROPERTY) else System.setProperty(ProgressBars.PROPERTY, originalProgress)
        originalOut.print(buffer.toString(Charsets.UTF_8))          // still visible in the test report
    }
}
