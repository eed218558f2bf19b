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
    fun flowAndBlockingPlayEmitTheSameEventsAndTheWholeText() = runTest {
        val config = StreamConfig.DEFAULT.withStallProbability(0.2).withBurstProbability(0.3)
        val simulator = StreamSimulator(text, config, seed = 3)
        val fromFlow = simulator.events().toList()
        val played = ArrayList<StreamEvent>()
        var slept = Duration.ZERO
        simulator.play({ slept += it }, { played += it })
        assertEquals(fromFlow, played)
        val drift = currentTime - slept.toMillis()                  // virtual time rounds each delay up to a millisecond
        assertTrue(drift in 0..fromFlow.size) { "the flow waited $currentTime ms, the blocking play slept $slept" }
        assertEquals(text, fromFlow.filterIsInstance<StreamEvent.Chunk>().joinToString("") { it.text })
        val complete = fromFlow.last() as StreamEvent.Complete
        assertEquals(fromFlow.count { it is StreamEvent.Stall }, complete.stalls)
        assertTrue(complete.stalls > 0 && complete.bursts > 0) { "$complete" }
        assertTrue(fromFlow.filterIsInstance<StreamEvent.Chunk>().all { it.text.length in 1..8 })
    }

    @Test
    fun aResumedStreamSendsTheRestOfTheText() = runTest {
        val rest = StreamSimulator(text).resumedAt(100).events().toList()
        assertEquals(text.substring(100), rest.filterIsInstance<StreamEvent.Chunk>().joinToString("") { it.text })
    }

    @Test
    fun markerFilterNeverShowsTheMarkerEvenSplitAcrossChunks() {
        val filter = MarkerFilter("!!CANCEL")
        val shown = listOf("Hello wor", "ld !!CA", "NCEL and more").joinToString("") { filter.accept(it) }
        assertEquals("Hello world ", shown)
        assertEquals(12, filter.markerAt)
        assertEquals("", filter.accept("ignored after the marker"))
        val plain = MarkerFilter("!!CANCEL")
        assertEquals("ends with !", plain.accept("ends with !") + plain.flush())
    }

    @Test
    fun scaleMultipliesDurationsAndRejectsNonsense() {
        val before = System.getProperty(Scale.PROPERTY)
        try {
            System.setProperty(Scale.PROPERTY, "0.1")
            assertEquals(Duration.ofMillis(200), Scale.scaled(Duration.ofSeconds(2)))
            assertEquals(Duration.ofMillis(1), Scale.scaled(Duration.ofNanos(10)), "never below a millisecond")
            System.setProperty(Scale.PROPERTY, "-1")
            assertThrows(IllegalArgumentException::class.java) { Scale.factor() }
        } finally {
            if (before == null) System.clearProperty(Scale.PROPERTY) else System.setProperty(Scale.PROPERTY, before)
        }
    }
}
