package dev.cancelable.grpc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cancelable.CancellationReason;
import dev.cancelable.CancellationToken;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.registry.OperationRegistry;
import io.grpc.CallOptions;
import io.grpc.stub.ClientCalls;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * How long a cancel takes to cross each hop of A -> B -> C on loopback Netty: from the client's
 * cancel to A's operation seeing it, then A to B, then B to C (each hop's handler records when its
 * operation's cancel was requested). Prints the median and the 90th percentile over the rounds.
 */
class HopLatencyTest {
    private static final int ROUNDS = 15;

    @Test
    @DisplayName("a client cancel crosses each hop of the Netty chain in well under 100 ms (prints the per-hop latency) [scenario 165]")
    void perHopCancelLatency() throws Exception {
        double[][] hops = new double[3][ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            try (Chain chain = new Chain(Chain.Transport.NETTY)) {
                CancellationToken token = new CancellationToken();
                CompletableFuture<Void> call = CompletableFuture.runAsync(() -> {
                    try {
                        Cancelables.operation("client").registry(new OperationRegistry()).token(token).build()
                                .call(ctx -> ClientCalls.blockingUnaryCall(chain.client, Chain.CALL, CallOptions.DEFAULT, "go"));
                    } catch (Exception expected) {
                        // canceled
                    }
                });
                assertTrue(chain.c.started.await(10, TimeUnit.SECONDS));
                long canceledAt = System.nanoTime();
                token.cancel(CancellationReason.MANUAL, "measure");
                long a = chain.a.cancelRequestedNanos.get(10, TimeUnit.SECONDS);
                long b = chain.b.cancelRequestedNanos.get(10, TimeUnit.SECONDS);
                long c = chain.c.cancelRequestedNanos.get(10, TimeUnit.SECONDS);
                hops[0][round] = (a - canceledAt) / 1e6;
                hops[1][round] = (b - a) / 1e6;
                hops[2][round] = (c - b) / 1e6;
                call.get(10, TimeUnit.SECONDS);
            }
        }
        String[] names = {"client -> A", "A -> B", "B -> C"};
        for (int hop = 0; hop < 3; hop++) {
            double[] sorted = hops[hop].clone();
            Arrays.sort(sorted);
            double median = sorted[ROUNDS / 2];
            double p90 = sorted[(int) Math.ceil(ROUNDS * 0.9) - 1];
            System.out.printf(Locale.ROOT, "cancel latency %-12s median %6.3f ms   p90 %6.3f ms   (%d rounds, loopback Netty)%n",
                    names[hop], median, p90, ROUNDS);
            assertTrue(median < 100, names[hop] + " median " + median + " ms");
        }
    }
}
