package dev.cancelable.examples.support

import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import java.time.Duration
import java.util.Random
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
 * Kotlin ([events], a cold `Flow`) and in Java ([play], on the calling thread). [from] starts the
 * stream further into the text, to resume one that was stopped.
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

    /** Waits for something; e.g. `ctx::sleep` of the Java facade, or `Thread::sleep` in millis. */
    fun interface Sleeper {
        @Throws(Exception::class)
        fun sleep(duration: Duration)
    }

    /** Receives each event. */
    fun interface Listener {
        @Throws(Exception::class)
        fun onEvent(event: StreamEvent)
    }

    /** Plays the stream on the calling thread, waiting through [sleeper] before each event. */
    @Throws(Exception::class)
    fun play(sleeper: Sleeper, listener: Listener) {
        for ((pause, event) in steps()) {
            if (!pause.isZero) sleeper.sleep(pause)
            listener.onEvent(event)
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
