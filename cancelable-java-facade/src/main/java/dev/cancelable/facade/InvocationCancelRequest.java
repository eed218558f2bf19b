package dev.cancelable.facade;

import dev.cancelable.CancelationReason;
import dev.cancelable.CancelationToken;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The resettable cancel request of one invocation, built from a succession of core tokens: a request
 * cancels the current token; raising swaps in a fresh one, so each request is raised exactly once.
 * Thread-safe: the compare-and-set on the token decides which of two concurrent raisers throws.
 */
final class InvocationCancelRequest {
    private final AtomicReference<CancelationToken> generation = new AtomicReference<>(new CancelationToken());

    /** Sets the request; true if it was not pending already. */
    boolean request(String message) {
        while (true) {
            CancelationToken token = generation.get();
            if (token.cancel(CancelationReason.MANUAL, message)) {
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
    CancelationToken current() {
        return generation.get();
    }

    /** Throws, and resets the request, if it is pending; only one caller throws per request. */
    void raiseIfRequested(String invocationId) {
        CancelationToken token = generation.get();
        if (token.isCanceled() && generation.compareAndSet(token, new CancelationToken())) {
            throw new InvocationCanceledException(token.getMessage(), invocationId);
        }
    }
}
