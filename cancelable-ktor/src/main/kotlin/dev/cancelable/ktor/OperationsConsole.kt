package dev.cancelable.ktor

import dev.cancelable.ktor.internal.ConsoleAccess
import dev.cancelable.ktor.internal.ConsoleApi
import dev.cancelable.ktor.internal.ConsoleState
import io.ktor.server.application.ApplicationStopped
import io.ktor.server.auth.authenticate
import io.ktor.server.application.install
import io.ktor.server.routing.Route
import io.ktor.server.routing.application
import io.ktor.server.routing.route

/**
 * Mounts the operations console at [path]: one HTML page (served from this jar; no build step, no
 * CDN) showing the live operations of a registry as a tree with status, age, progress and reason,
 * updated live over server-sent events, the history with filters, a cancel button per operation and
 * a bulk cancel by name pattern; and the JSON API behind it, under [path]:
 *
 * | request | does | needs |
 * | --- | --- | --- |
 * | `GET /operations?status=&name=` | live operations | READ |
 * | `GET /operations/{id}` | one operation, live or from history | READ |
 * | `GET /history?status=&name=&limit=` | finished operations, newest first | READ |
 * | `GET /events` | server-sent events: `started`, `progress`, `finished` | READ |
 * | `GET /session` | the caller's permissions and the CSRF token | READ |
 * | `DELETE /operations/{id}` | cancels one (204, or 404 if not running) | CANCEL + CSRF |
 * | `POST /operations/cancel` `{"pattern": "..."}` | cancels every live match | CANCEL + CSRF |
 *
 * ```kotlin
 * routing {
 *     operationsConsole("/cancelable") { tokens() }    // prints two tokens once
 * }
 * ```
 *
 * Secure by default: it refuses to start (IllegalStateException) unless [configure] chose an
 * authentication ([OperationsConsoleConfig.tokens] or [OperationsConsoleConfig.authentication]);
 * unauthenticated calls get 401, a reader who tries to cancel 403; cancels need DELETE or POST with
 * the CSRF token in the `X-Cancelable-Csrf` header and no cross-site origin; the page builds its DOM
 * with `textContent` only, so names, messages and metadata never become markup; errors never carry
 * a stack trace. Its own calls are not operations ([CancelableRoute] with `enabled = false`).
 *
 * Thread-safety: call it while building routes; the console then serves calls concurrently.
 *
 * @throws IllegalArgumentException if [path] does not start with `/` or ends with one.
 * @throws IllegalStateException if no authentication was chosen.
 */
public fun Route.operationsConsole(path: String = "/cancelable", configure: OperationsConsoleConfig.() -> Unit): Route {
    require(path.startsWith("/") && (path == "/" || !path.endsWith("/"))) { "path must start with / and not end with one, was '$path'" }
    require(path.none { it.isWhitespace() || it in "\"'<>&?#" }) { "path must be a plain URL path, was '$path'" }
    val config = OperationsConsoleConfig().apply(configure)
    val access = checkNotNull(config.access) {
        "the operations console needs an authentication decision: call tokens() (bearer tokens, generated if not given) " +
            "or authentication(\"provider\") { permissions } in its configuration"
    }
    val state = ConsoleState(config.registry, ConsoleAccess.randomHex())
    application.monitor.subscribe(ApplicationStopped) { state.close() }
    val api = ConsoleApi(state, access, path, config.title)
    val mounted = route(path) {
        install(CancelableRoute) { enabled = false }
        api.staticRoutes(this)
        when (access) {
            is ConsoleAccess.Providers -> authenticate(*access.names.toTypedArray()) { api.routes(this) }
            is ConsoleAccess.Tokens -> api.routes(this)
        }
    }
    (access as? ConsoleAccess.Tokens)?.announce(path)
    return mounted
}
