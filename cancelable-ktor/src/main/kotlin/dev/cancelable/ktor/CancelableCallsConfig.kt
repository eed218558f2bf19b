package dev.cancelable.ktor

import dev.cancelable.registry.OperationRegistry
import io.ktor.http.HttpStatusCode
import kotlin.time.Duration

/**
 * Configuration of [CancelableCalls]. Set it in the `install` block; it is read once at install.
 *
 * Thread-safety: not thread-safe; it is written by one thread during `install` and only read after.
 */
public class CancelableCallsConfig {
    /** The registry the call operations join ([OperationRegistry.global] by default), or null for none. */
    public var registry: OperationRegistry? = OperationRegistry.global

    /** The default timeout of a call, null (the default) for none; a route's [CancelableRoute] replaces it. Must be positive. */
    public var timeout: Duration? = null

    /**
     * Honour the caller's deadline headers ([DeadlineHeaders.REQUEST_TIMEOUT] and
     * [DeadlineHeaders.GRPC_TIMEOUT]) by capping the timeout with them; true by default. A caller
     * can only shorten the timeout, never lengthen it.
     */
    public var honourDeadlineHeaders: Boolean = true

    /** Record [DeadlineHeaders.PARENT_ID] as the operation's remote parent; true by default. */
    public var acceptParentId: Boolean = true

    /** Cancel the operation when the client closes the connection; true by default. */
    public var cancelOnDisconnect: Boolean = true

    /** The status sent when the timeout (or the caller's deadline) expires: 504 by default; 503 is the other usual choice. */
    public var timeoutStatus: HttpStatusCode = HttpStatusCode.GatewayTimeout

    /** The status sent when the operation is canceled otherwise (manually, by the registry, by a parent): 503 by default. */
    public var canceledStatus: HttpStatusCode = HttpStatusCode.ServiceUnavailable

    /**
     * The status logged (nothing can be sent) when the client disconnected: 499, nginx's "client
     * closed request", by default.
     */
    public var disconnectStatus: HttpStatusCode = ClientClosedRequest

    /** Metadata keys and the headers the plugin reads; see the README. */
    public companion object {
        /** 499 Client Closed Request (nginx): what a call canceled by a disconnect is logged with. */
        public val ClientClosedRequest: HttpStatusCode = HttpStatusCode(499, "Client Closed Request")

        /** Metadata key: the request method. */
        public const val METHOD: String = "http.method"

        /** Metadata key: the request path as sent (the name holds the route pattern). */
        public const val PATH: String = "http.path"

        /** Metadata key: the client's address (the connection's peer, not a forwarded header). */
        public const val CLIENT: String = "http.client"

        /** Metadata key: the response status, set when the call ends. */
        public const val STATUS: String = "http.status"

        /** Metadata key: the deadline the caller asked for, in milliseconds, when it capped the timeout. */
        public const val CALLER_DEADLINE_MS: String = "http.callerDeadlineMs"

        /** Metadata key: true when the client disconnected before the call ended. */
        public const val DISCONNECTED: String = "http.disconnected"

        /** The cancel message of a disconnect (reason SIGNAL, as the reference's middleware does). */
        public const val DISCONNECT_MESSAGE: String = "Client disconnected"
    }
}

/**
 * Configuration of [CancelableRoute] for one route and the routes below it.
 *
 * Thread-safety: not thread-safe; written during `install` only.
 */
public class CancelableRouteConfig {
    /** This route's timeout, replacing [CancelableCallsConfig.timeout]; null keeps the default. Must be positive. */
    public var timeout: Duration? = null

    /** False to run this route's calls without an operation (the console's own routes do this). */
    public var enabled: Boolean = true
}
