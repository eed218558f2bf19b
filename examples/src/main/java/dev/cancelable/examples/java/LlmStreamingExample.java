package dev.cancelable.examples.java;

import dev.cancelable.CancellationReason;
import dev.cancelable.CancellationToken;
import dev.cancelable.OperationCanceledException;
import dev.cancelable.examples.support.DemoPace;
import dev.cancelable.examples.support.LlmText;
import dev.cancelable.examples.support.StreamConfig;
import dev.cancelable.examples.support.StreamSimulator;
import dev.cancelable.facade.Cancelables;
import java.time.Duration;
import java.util.concurrent.Callable;
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
        StreamConfig typing = StreamConfig.DEFAULT.withBaseDelay(Duration.ofMillis(20));           // stalls of 300 ms
        StreamConfig config = DemoPace.watched() ? typing : typing.withTimeScale(0.1);           // nobody watches a pipe
        StreamSimulator model = new StreamSimulator(LlmText.ANSWER, config, 11);

        String first = session("session-1", model.blockingChunks());
        String second = session("session-2", model.resumedAt(first.length() + LlmText.MARKER.length()).blockingChunks());
        String answer = first + second;
        System.out.println("answer: " + answer.length() + " of " + (LlmText.ANSWER.length() - LlmText.MARKER.length())
                + " characters, marker shown: " + answer.contains(LlmText.MARKER));

        StreamSimulator silent = new StreamSimulator(LlmText.ANSWER,
                config.withStallProbability(1.0).withStallDuration(Duration.ofSeconds(30)));
        session("session-3", silent.blockingChunks());
    }

    // region readme:llm
    /**
     * Shows one session of a model's chunks ({@code nextChunk} blocks for the next one, null at the end)
     * until the model writes {@code !!CANCEL} (it asks for a pause), the stream stalls, or the budget
     * runs out; returns the text before the marker, to resume after it.
     */
    static String session(String name, Callable<String> nextChunk) throws Exception {
        String marker = "!!CANCEL";
        CancellationToken pause = new CancellationToken();
        AtomicLong lastChunk = new AtomicLong();                                // 0 until the stream starts
        long quietTooLong = Duration.ofMillis(500).toNanos();                   // stalls shorter than this are tolerated
        StringBuilder received = new StringBuilder();
        int[] shown = {0};
        try {
            Cancelables.operation(name)
                    .token(pause)
                    .condition(() -> lastChunk.get() != 0 && System.nanoTime() - lastChunk.get() > quietTooLong,
                            Duration.ofMillis(50), "stream_stalled")
                    .timeout(Duration.ofSeconds(30))                            // and a budget for the whole answer
                    .build()
                    .call(ctx -> {
                        lastChunk.set(System.nanoTime());
                        for (String chunk = nextChunk.call(); chunk != null; chunk = nextChunk.call()) {   // a cancel interrupts the wait
                            ctx.throwIfCanceled();                              // no chunk is handled after the cancel
                            lastChunk.set(System.nanoTime());
                            received.append(chunk);
                            int at = received.indexOf(marker);
                            int safe = at >= 0 ? at : received.length() - (marker.length() - 1);   // what cannot be the marker
                            if (safe > shown[0]) {
                                System.out.print(received.substring(shown[0], safe));
                                shown[0] = safe;
                            }
                            if (at >= 0) {
                                received.setLength(at);
                                pause.cancel(CancellationReason.MANUAL, "model requested a pause");
                            }
                        }
                        System.out.print(received.substring(shown[0]));
                        System.out.println("\n[" + name + " complete: " + received.length() + " characters]");
                        return null;
                    });
        } catch (OperationCanceledException e) {
            System.out.println("\n[" + name + " stopped: " + e.getReason() + " - " + e.getMessage() + "]");
        }
        return received.toString();
    }
    // endregion
}
