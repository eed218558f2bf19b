package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.OperationCanceledException
import dev.cancelable.CancellationReason
import dev.cancelable.CancellationToken
import dev.cancelable.examples.support.LlmText
import dev.cancelable.examples.support.MarkerFilter
import dev.cancelable.examples.support.Scale
import dev.cancelable.examples.support.StreamConfig
import dev.cancelable.examples.support.StreamEvent
import dev.cancelable.examples.support.StreamSimulator
import dev.cancelable.examples.support.scaled
import dev.cancelable.source.ConditionSource
import dev.cancelable.source.TimeoutSource
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
        val config = StreamConfig.DEFAULT.withBaseDelay(Duration.ofMillis(20)).withTimeScale(Scale.factor())
        val model = StreamSimulator(LlmText.ANSWER, config, seed = 11)

        val answer = StringBuilder()
        val stoppedAt = session("session-1", model, answer)
        session("session-2", model.resumedAt(stoppedAt), answer)
        println("answer: ${answer.length} of ${LlmText.ANSWER.length - LlmText.MARKER.length} characters, marker shown: ${LlmText.MARKER in answer}")

        val silent = StreamSimulator(LlmText.ANSWER, config.withStallProbability(1.0).withStallDuration(Duration.ofSeconds(30)))
        session("session-3", silent, StringBuilder())
    }

    // region readme:llm
    /** Streams one session into [answer]; returns where in the text the next session should resume. */
    private suspend fun session(name: String, model: StreamSimulator, answer: StringBuilder): Int {
        val pause = CancellationToken()
        val lastChunk = AtomicLong()                                      // 0 until the stream starts
        val quietTooLong = scaled(2.seconds).inWholeNanoseconds              // stalls shorter than this are tolerated
        val session = Cancelable.withToken(pause, name = name)
            .addSource(ConditionSource({ lastChunk.get() != 0L && System.nanoTime() - lastChunk.get() > quietTooLong },
                scaled(50.milliseconds), "stream_stalled"))
            .addSource(TimeoutSource(scaled(30.seconds)))                      // and a budget for the whole answer
        val text = MarkerFilter(LlmText.MARKER)
        try {
            session.run {
                lastChunk.set(System.nanoTime())
                model.events().collect { event ->
                    when (event) {
                        is StreamEvent.Chunk -> {
                            lastChunk.set(System.nanoTime())
                            print(text.accept(event.text))
                            if (text.markerAt >= 0) pause.cancel(CancellationReason.MANUAL, "model requested a pause")
                        }
                        is StreamEvent.Stall -> Unit
                        is StreamEvent.Complete -> {
                            print(text.flush())
                            println("\n[$name complete: ${event.chunks} chunks, ${event.stalls} stalls, ${event.bursts} bursts]")
                        }
                    }
                }
            }
        } catch (e: OperationCanceledException) {
            println("\n[$name stopped: ${e.reason} - ${e.message}]")
        }
        answer.append(text.shown())
        return model.from + if (text.markerAt >= 0) text.markerAt + LlmText.MARKER.length else text.receivedLength
    }
    // endregion
}
