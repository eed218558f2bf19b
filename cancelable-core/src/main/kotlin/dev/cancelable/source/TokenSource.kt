package dev.cancelable.source

import dev.cancelable.CancellationToken
import kotlinx.coroutines.DisposableHandle

/**
 * Cancels the operation when [token] is canceled, with the token's own reason and message; at once
 * if the token already is. The callback is unregistered when the operation ends, so a long-lived
 * token keeps no reference to finished operations. Immutable; thread-safe.
 */
public class TokenSource(
    /** The token to watch. */
    internal val token: CancellationToken,
) : CancellationSource("token(${token.id})") {

    override fun attach(scope: SourceScope): DisposableHandle =
        token.onCancelRequested { fire(scope, it.reason!!, it.message) }
}
