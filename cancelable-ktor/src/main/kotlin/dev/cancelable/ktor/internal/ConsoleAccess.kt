package dev.cancelable.ktor.internal

import dev.cancelable.ktor.ConsolePermission
import dev.cancelable.ktor.ConsoleTokens
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpMethod
import io.ktor.server.application.ApplicationCall
import io.ktor.server.request.header
import io.ktor.server.request.host
import io.ktor.server.request.httpMethod
import org.slf4j.LoggerFactory
import java.net.URI
import java.security.MessageDigest
import java.security.SecureRandom

/** How the console authenticates and authorizes a call. */
internal sealed class ConsoleAccess {
    /** The permissions of [call], or null when it is not authenticated (401). */
    abstract fun permissions(call: ApplicationCall): Set<ConsolePermission>?

    /** Bearer tokens (given or generated), from the Authorization header or the console's cookie. */
    class Tokens(given: ConsoleTokens?, private val announce: ((ConsoleTokens) -> Unit)?) : ConsoleAccess() {
        val generated = given == null
        val tokens: ConsoleTokens = given ?: ConsoleTokens(randomHex(), randomHex())

        fun announce(path: String) {
            if (!generated) return
            val to = announce ?: { t: ConsoleTokens ->
                println("Operations console at $path: open $path?token=${t.cancel} (read and cancel) or $path?token=${t.read} (read only)")
            }
            try {
                to(tokens)
            } catch (e: Exception) {
                log.warn("the console's token announcement failed", e)
            }
        }

        override fun permissions(call: ApplicationCall): Set<ConsolePermission>? {
            val presented = call.request.header(HttpHeaders.Authorization)?.let { header ->
                if (header.startsWith("Bearer ", ignoreCase = true)) header.substring(7).trim() else null
            } ?: call.request.cookies[COOKIE]
            return presented?.let(::permissionsOf)
        }

        fun permissionsOf(token: String): Set<ConsolePermission>? = when {
            same(token, tokens.cancel) -> setOf(ConsolePermission.READ, ConsolePermission.CANCEL)
            same(token, tokens.read) -> setOf(ConsolePermission.READ)
            else -> null
        }
    }

    /** Ktor authentication providers; the routes are wrapped in `authenticate`. */
    class Providers(val names: List<String>, private val permissions: (ApplicationCall) -> Set<ConsolePermission>) : ConsoleAccess() {
        override fun permissions(call: ApplicationCall): Set<ConsolePermission> = try {
            permissions.invoke(call)
        } catch (e: Exception) {
            log.warn("the console's permissions callback failed; the call gets none", e)
            emptySet()
        }
    }

    companion object {
        const val COOKIE = "cancelable-console"
        const val CSRF_HEADER = "X-Cancelable-Csrf"
        private val random = SecureRandom()
        private val log = LoggerFactory.getLogger("dev.cancelable.ktor.console")

        fun randomHex(): String {
            val bytes = ByteArray(20).also(random::nextBytes)
            return bytes.joinToString("") { "%02x".format(it) }
        }

        fun same(a: String, b: String): Boolean = MessageDigest.isEqual(a.toByteArray(), b.toByteArray())

        /**
         * The CSRF defence of a state-changing call: the console's CSRF token in [CSRF_HEADER] (a
         * cross-site page can neither read it nor set a custom header without CORS), and no
         * cross-site `Origin` or `Sec-Fetch-Site`.
         */
        fun csrfAllows(call: ApplicationCall, csrf: String): Boolean {
            if (call.request.httpMethod == HttpMethod.Get) return true
            if (call.request.header("Sec-Fetch-Site")?.let { it == "cross-site" || it == "same-site" } == true) return false
            val origin = call.request.header(HttpHeaders.Origin)
            if (origin != null) {
                val host = try { URI(origin).host } catch (_: Exception) { null }
                if (host == null || !host.equals(call.request.host(), ignoreCase = true)) return false
            }
            val presented = call.request.header(CSRF_HEADER) ?: return false
            return same(presented, csrf)
        }
    }
}
