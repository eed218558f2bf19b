package dev.cancelable.facade.invocation;

import dev.cancelable.Cancelable;
import dev.cancelable.facade.internal.Sleeper;

import dev.cancelable.CancellationReason;
import dev.cancelable.CancellationToken;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The resettable cancel request of one invocation, built from a succession of core tokens: a request
 * cancels the current token; raising swaps in a fresh one, so each request is raised exactly once.
 * Thread-safe: the compare-and-set on the token decides which of two concurrent raisers throws.
 */
final class InvocationCancelRequest implements Sleeper.Interrupter {
    private final AtomicReference<CancellationToken> generation = new AtomicReference<>(new CancellationToken());

    /** Sets the request; true if it was not pending already. */
    boolean request(String message) {
        while (true) {
            CancellationToken token = generation.get();
            if (token.cancel(CancellationReason.MANUAL, message)) {
                return true;
            }
            if (generation.get() == token) {
                return false; // still pending: requests merge until the invocation sees one
            }
        }
    }

    boolean isRequested() {
        return generation.get().isCanceled();
    }

    /** The token of the current generation, for waiters to watch. */
    @Override
    public CancellationToken current() {
        return generation.get();
    }

    /** Throws, and resets the request, if it is pending; only one caller throws per request. */
    @Override
    public void raiseIfRequested(Cancelable operation) {
        CancellationToken token = generation.get();
        if (token.isCanceled() && generation.compareAndSet(token, new CancellationToken())) {
            throw new InvocationCanceledException(token.getMessage(), operation);
        }
    }
}
