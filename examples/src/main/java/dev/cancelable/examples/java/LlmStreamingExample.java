package dev.cancelable.examples.java;

import static dev.cancelable.examples.support.Scale.scaled;

import dev.cancelable.OperationCanceledException;
import dev.cancelable.CancellationReason;
import dev.cancelable.CancellationToken;
import dev.cancelable.examples.support.LlmText;
import dev.cancelable.examples.support.MarkerFilter;
import dev.cancelable.examples.support.Scale;
import dev.cancelable.examples.support.StreamConfig;
import dev.cancelable.examples.support.StreamEvent;
import dev.cancelable.examples.support.StreamSimulator;
import dev.cancelable.facade.Cancelables;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Token streaming from a simulated language model with stalls and bursts: the model asks for a
 * pause (a marker in its output cancels the session's token), the answer resumes where it stopped,
 * and a watchdog condition cancels a stream that went quiet for too long.
 */
public final class LlmStreamingExample {
    private LlmStreamingExample() {
    }

    public static void main(String[] args) throws Exception {
        StreamConfig config = StreamConfig.DEFAULT.withBaseDelay(Duration.ofMillis(20)).withTimeScale(Scale.factor());
        StreamSimulator model = new StreamSimulator(LlmText.ANSWER, config, 11);

        StringBuilder answer = new StringBuilder();
        int stoppedAt = session("session-1", model, answer);
        session("session-2", model.resumedAt(stoppedAt), answer);
        System.out.println("answer: " + answer.length() + " of " + (LlmText.ANSWER.length() - LlmText.MARKER.length())
                + " characters, marker shown: " + (answer.indexOf(LlmText.MARKER) >= 0));

        StreamSimulator silent = new StreamSimulator(LlmText.ANSWER,
                config.withStallProbability(1.0).withStallDuration(Duration.ofSeconds(30)));
        session("session-3", silent, new StringBuilder());
    }

    // region readme:llm
    /** Streams one session into {@code answer}; returns where in the text the next session should resume. */
    static int session(String name, StreamSimulator model, StringBuilder answer) throws Exception {
        CancellationToken pause = new CancellationToken();
        AtomicLong lastChunk = new AtomicLong();                                // 0 until the stream starts
        long quietTooLong = scaled(Duration.ofSeconds(2)).toNanos();          // stalls shorter than this are tolerated
        MarkerFilter text = new MarkerFilter(LlmText.MARKER);
        try {
            Cancelables.operation(name)
                    .token(pause)
                    .condition(() -> lastChunk.get() != 0 && System.nanoTime() - lastChunk.get() > quietTooLong,
                            scaled(Duration.ofMillis(50)), "stream_stalled")
                    .timeout(scaled(Duration.ofSeconds(30)))                     // and a budget for the whole answer
                    .build()
                    .call(ctx -> {
                        lastChunk.set(System.nanoTime());
                        model.play(ctx::sleep, event -> {
                            ctx.throwIfCanceled();
                            if (event instanceof StreamEvent.Chunk) {
                                lastChunk.set(System.nanoTime());
                                System.out.print(text.accept(((StreamEvent.Chunk) event).getText()));
                                if (text.getMarkerAt() >= 0) {
                                    pause.cancel(CancellationReason.MANUAL, "model requested a pause");
                                }
                            } else if (event instanceof StreamEvent.Complete) {
                                StreamEvent.Complete done = (StreamEvent.Complete) event;
                                System.out.print(text.flush());
                                System.out.println("\n[" + name + " complete: " + done.getChunks() + " chunks, "
                                        + done.getStalls() + " stalls, " + done.getBursts() + " bursts]");
                            }
                        });
                        return null;
                    });
        } catch (OperationCanceledException e) {
            System.out.println("\n[" + name + " stopped: " + e.getReason() + " - " + e.getMessage() + "]");
        }
        answer.append(text.shown());
        int consumed = text.getMarkerAt() >= 0 ? text.getMarkerAt() + LlmText.MARKER.length() : text.getReceivedLength();
        return model.getFrom() + consumed;
    }
    // endregion
}
