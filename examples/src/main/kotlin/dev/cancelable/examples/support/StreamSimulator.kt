package dev.cancelable.examples.support

import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.filterIsInstance
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.map
import java.time.Duration
import java.util.Random
import java.util.concurrent.Callable
import kotlin.time.toKotlinDuration

/** What a [StreamSimulator] emits. */
sealed class StreamEvent {
    /** Characters of the text; [position] is where the next chunk starts. */
    data class Chunk(val text: String, val position: Int, val totalLength: Int, val burst: Boolean, val number: Int) : StreamEvent()

    /** The stream went quiet for [duration] before this event. */
    data class Stall(val duration: Duration) : StreamEvent()

    /** The whole text was sent. */
    data class Complete(val chunks: Int, val stalls: Int, val bursts: Int) : StreamEvent()
}

/**
 * Streams [text] the way a remote language model does, misbehaving as [config] says: chunks of
 * varying size after a jittery delay, bursts, and stalls. The same [seed] gives the same stream, in
 * Kotlin ([events] and [chunks], cold flows) and in Java ([blockingChunks], on the calling thread).
 * [from] starts the stream further into the text, to resume one that was stopped.
 */
class StreamSimulator @JvmOverloads constructor(
    private val text: String,
    private val config: StreamConfig = StreamConfig.DEFAULT,
    private val seed: Long = 42L,
    /** Where in the text this stream starts. */
    val from: Int = 0,
) {
    init {
        require(from in 0..text.length) { "from must be between 0 and ${text.length}, was $from" }
    }

    /** The same stream, resumed at [position] of the text. */
    fun resumedAt(position: Int): StreamSimulator = StreamSimulator(text, config, seed + position, position)

    /** The events, each after its delay. */
    fun events(): Flow<StreamEvent> = flow {
        for ((pause, event) in steps()) {
            if (!pause.isZero) delay(pause.toKotlinDuration())
            emit(event)
        }
    }

    /** The text of the chunks alone, each after its delay: what a client of the model reads. */
    fun chunks(): Flow<String> = events().filterIsInstance<StreamEvent.Chunk>().map { it.text }

    /** Waits for something; `Thread.sleep` by default, which a cancel interrupts. */
    fun interface Sleeper {
        @Throws(Exception::class)
        fun sleep(duration: Duration)
    }

    /**
     * The chunks for blocking code: each `call()` waits through [sleeper] and returns the next chunk's
     * text, or null once the whole text was sent. Not thread-safe: one reader.
     */
    @JvmOverloads
    fun blockingChunks(sleeper: Sleeper = Sleeper { Thread.sleep(it.toMillis()) }): Callable<String?> {
        val steps = steps().iterator()
        return Callable {
            var next: String? = null
            while (next == null && steps.hasNext()) {
                val (pause, event) = steps.next()
                if (!pause.isZero) sleeper.sleep(pause)
                if (event is StreamEvent.Chunk) next = event.text
            }
            next
        }
    }

    private fun steps(): Sequence<Pair<Duration, StreamEvent>> = sequence {
        val random = Random(seed)
        var position = from
        var chunks = 0
        var stalls = 0
        var bursts = 0
        fun nextChunk(burst: Boolean): StreamEvent.Chunk {
            val size = config.minChunkSize + random.nextInt(config.maxChunkSize - config.minChunkSize + 1)
            val end = minOf(text.length, position + size)
            val chunk = StreamEvent.Chunk(text.substring(position, end), end, text.length, burst, ++chunks)
            position = end
            return chunk
        }
        while (position < text.length) {
            if (random.nextDouble() < config.stallProbability) {
                stalls++
                yield(config.stallDuration to StreamEvent.Stall(config.stallDuration))
            }
            if (random.nextDouble() < config.burstProbability) {
                bursts++
                repeat(config.burstSize) {
                    if (position < text.length) yield(config.burstDelay to nextChunk(burst = true))
                }
            } else {
                var pause = config.baseDelay
                if (random.nextDouble() < config.jitterProbability) {
                    val swing = (random.nextDouble() * 2 - 1) * config.jitter.toNanos()
                    pause = Duration.ofNanos(maxOf(0L, pause.toNanos() + swing.toLong()))
                }
                yield(pause to nextChunk(burst = false))
            }
        }
        yield(Duration.ZERO to StreamEvent.Complete(chunks, stalls, bursts))
    }
}
