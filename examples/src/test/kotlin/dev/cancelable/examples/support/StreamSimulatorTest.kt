package dev.cancelable.examples.support

import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.time.Duration

class StreamSimulatorTest {
    private val text = LlmText.ANSWER

    @Test
    fun badConfigurationIsRejectedNamingTheValue() {
        fun rejects(name: String, build: () -> Any) {
            val e = assertThrows(IllegalArgumentException::class.java) { build() }
            assertTrue(e.message!!.startsWith(name)) { "message '${e.message}' does not name $name" }
        }
        rejects("baseDelay") { StreamConfig.DEFAULT.withBaseDelay(Duration.ofMillis(-1)) }
        rejects("jitter") { StreamConfig.DEFAULT.withJitter(Duration.ofMillis(-1), 0.5) }
        rejects("jitterProbability") { StreamConfig.DEFAULT.withJitter(Duration.ofMillis(1), 1.5) }
        rejects("stallProbability") { StreamConfig.DEFAULT.withStallProbability(Double.NaN) }
        rejects("stallDuration") { StreamConfig.DEFAULT.withStallDuration(Duration.ofMillis(-5)) }
        rejects("burstProbability") { StreamConfig.DEFAULT.withBurstProbability(-0.1) }
        rejects("burstSize") { StreamConfig.DEFAULT.withBurstSize(0) }
        rejects("minChunkSize") { StreamConfig.DEFAULT.withChunkSizes(0, 4) }
        rejects("maxChunkSize") { StreamConfig.DEFAULT.withChunkSizes(5, 4) }
        rejects("factor") { StreamConfig.DEFAULT.withTimeScale(0.0) }
        rejects("from") { StreamSimulator(text, from = text.length + 1) }
    }

    @Test
    fun flowAndBlockingChunksAreTheSameStreamAndTheWholeText() = runTest {
        val config = StreamConfig.DEFAULT.withStallProbability(0.2).withBurstProbability(0.3)
        val simulator = StreamSimulator(text, config, seed = 3)
        val events = simulator.events().toList()
        val fromFlow = simulator.chunks().toList()
        val fromBlocking = ArrayList<String>()
        var slept = Duration.ZERO
        val next = simulator.blockingChunks { slept += it }
        while (true) fromBlocking += next.call() ?: break
        assertEquals(fromFlow, fromBlocking)
        assertEquals(null, next.call(), "the blocking chunks stay at their end")
        val drift = currentTime - 2 * slept.toMillis()               // two collections; virtual time rounds each delay up to a millisecond
        assertTrue(drift in 0..2L * events.size) { "the flows waited $currentTime ms, the blocking chunks slept $slept" }
        assertEquals(text, fromFlow.joinToString(""))
        val complete = events.last() as StreamEvent.Complete
        assertEquals(events.count { it is StreamEvent.Stall }, complete.stalls)
        assertTrue(complete.stalls > 0 && complete.bursts > 0) { "$complete" }
        assertTrue(fromFlow.all { it.length in 1..8 })
    }

    @Test
    fun aResumedStreamSendsTheRestOfTheText() = runTest {
        val rest = StreamSimulator(text).resumedAt(100).events().toList()
        assertEquals(text.substring(100), rest.filterIsInstance<StreamEvent.Chunk>().joinToString("") { it.text })
    }
}
