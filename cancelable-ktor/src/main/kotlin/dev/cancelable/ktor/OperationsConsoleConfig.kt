package dev.cancelable.ktor

import dev.cancelable.ktor.internal.ConsoleAccess
import dev.cancelable.registry.OperationRegistry
import io.ktor.server.application.ApplicationCall

/** What a console user may do: read operations, or also cancel them. Immutable; thread-safe. */
public enum class ConsolePermission {
    /** See live operations, history and events. */
    READ,

    /** Cancel operations, one by one or by name pattern. */
    CANCEL,
}

/**
 * The two bearer tokens of a console in token mode: [read] may read, [cancel] may read and cancel.
 * Open `<path>?token=<token>` in a browser to sign in (the token moves into an HttpOnly cookie), or
 * send `Authorization: Bearer <token>`.
 *
 * Thread-safety: immutable. [toString] does not show the tokens.
 */
public class ConsoleTokens(
    /** May read. */
    public val read: String,
    /** May read and cancel. */
    public val cancel: String,
) {
    init {
        require(read.length >= 16) { "read must be at least 16 characters" }
        require(cancel.length >= 16) { "cancel must be at least 16 characters" }
        require(read != cancel) { "read and cancel must differ" }
    }

    override fun toString(): String = "ConsoleTokens(read=***, cancel=***)"
}

/**
 * Configuration of [operationsConsole]. It must make one authentication decision, else the console
 * refuses to start: [tokens] (given or generated bearer tokens) or [authentication] (Ktor
 * authentication providers the application installed, and which permissions each user has).
 *
 * Thread-safety: not thread-safe; written while the routes are built, only read after.
 */
public class OperationsConsoleConfig {
    /** The registry shown and canceled through ([OperationRegistry.global] by default). */
    public var registry: OperationRegistry = OperationRegistry.global

    /** The page's title. */
    public var title: String = "Operations"

    internal var access: ConsoleAccess? = null

    /**
     * Bearer tokens: [tokens] given, or two random ones generated now and handed once to
     * [announce] (by default printed to standard output with the address to open; a failure of
     * [announce] is logged).
     */
    public fun tokens(tokens: ConsoleTokens? = null, announce: ((ConsoleTokens) -> Unit)? = null) {
        check(access == null) { "the console's authentication was already chosen" }
        access = ConsoleAccess.Tokens(tokens, announce)
    }

    /**
     * Ktor authentication: the console's routes are wrapped in `authenticate(*providers)`, and
     * [permissions] tells what the authenticated call may do (an empty set answers 403; if it throws,
     * the failure is logged and the call answers 403). It runs on the calls' threads, concurrently.
     * The providers must be installed (`install(Authentication) { ... }`).
     */
    public fun authentication(vararg providers: String, permissions: (ApplicationCall) -> Set<ConsolePermission>) {
        check(access == null) { "the console's authentication was already chosen" }
        require(providers.isNotEmpty()) { "providers must name at least one authentication provider" }
        access = ConsoleAccess.Providers(providers.toList(), permissions)
    }
}
