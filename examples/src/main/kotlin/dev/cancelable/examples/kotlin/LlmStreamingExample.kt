package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.CancellationToken
import dev.cancelable.OperationCanceledException
import dev.cancelable.examples.support.DemoPace
import dev.cancelable.examples.support.LlmText
import dev.cancelable.examples.support.StreamConfig
import dev.cancelable.examples.support.StreamSimulator
import dev.cancelable.flow.cancelable
import dev.cancelable.source.ConditionSource
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.runBlocking
import java.time.Duration
import java.util.concurrent.atomic.AtomicLong
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * Token streaming from a simulated language model with stalls and bursts: the model asks for a
 * pause (a marker in its output cancels the session's token), the answer resumes where it stopped,
 * and a watchdog condition cancels a stream that went quiet for too long.
 */
object LlmStreamingExample {
    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        val typing = StreamConfig.DEFAULT.withBaseDelay(Duration.ofMillis(20))            // stalls of 300 ms
        val config = if (DemoPace.watched()) typing else typing.withTimeScale(0.1)         // nobody watches a pipe
        val model = StreamSimulator(LlmText.ANSWER, config, seed = 11)

        val first = session("session-1", model.chunks())
        val second = session("session-2", model.resumedAt(first.length + LlmText.MARKER.length).chunks())
        val answer = first + second
        println("answer: ${answer.length} of ${LlmText.ANSWER.length - LlmText.MARKER.length} characters, marker shown: ${LlmText.MARKER in answer}")

        val silent = StreamSimulator(LlmText.ANSWER, config.withStallProbability(1.0).withStallDuration(Duration.ofSeconds(30)))
        session("session-3", silent.chunks())
    }

    // region readme:llm
    /**
     * Shows one session of a model's [chunks] until the model writes `!!CANCEL` (it asks for a pause), the
     * stream stalls, or the budget runs out; returns the text before the marker, to resume after it.
     */
    suspend fun session(name: String, chunks: Flow<String>): String {
        val marker = "!!CANCEL"
        val pause = CancellationToken()
        val lastChunk = AtomicLong()                                      // 0 until the stream starts
        val quietTooLong = 500.milliseconds.inWholeNanoseconds             // stalls shorter than this are tolerated
        val stalled = ConditionSource(
            { lastChunk.get() != 0L && System.nanoTime() - lastChunk.get() > quietTooLong }, 50.milliseconds, "stream_stalled",
        )
        val session = Cancelable(name = name, timeout = 30.seconds, token = pause, sources = listOf(stalled))
        val received = StringBuilder()
        var shown = 0
        try {
            session.run {
                lastChunk.set(System.nanoTime())
                chunks.cancelable().collect { chunk ->                     // no chunk is handled after the cancel
                    lastChunk.set(System.nanoTime())
                    received.append(chunk)
                    val at = received.indexOf(marker)
                    val safe = if (at >= 0) at else received.length - (marker.length - 1)   // what cannot be the marker
                    if (safe > shown) {
                        print(received.substring(shown, safe))
                        shown = safe
                    }
                    if (at >= 0) {
                        received.setLength(at)
                        pause.cancel(CancellationReason.MANUAL, "model requested a pause")
                    }
                }
                print(received.substring(shown))
                println("\n[$name complete: ${received.length} characters]")
            }
        } catch (e: OperationCanceledException) {
            println("\n[$name stopped: ${e.reason} - ${e.message}]")
        }
        return received.toString()
    }
    // endregion
}
