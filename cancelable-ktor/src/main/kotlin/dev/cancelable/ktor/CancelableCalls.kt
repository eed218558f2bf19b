package dev.cancelable.ktor

import dev.cancelable.ktor.internal.CallRunner
import dev.cancelable.ktor.internal.RouteSettings
import io.ktor.server.application.RouteScopedPlugin
import io.ktor.server.application.createRouteScopedPlugin
import io.ktor.server.application.hooks.CallSetup

/**
 * Runs every call of the routes it is installed in as an operation.
 *
 * ```kotlin
 * routing {
 *     install(CancelableCalls) { timeout = 30.seconds }
 *     get("/report/{id}") {
 *         currentOperation()?.reportProgress("loading")   // this call's operation
 *         call.respondText(buildReport())                 // canceled at 30 s: 504
 *     }
 *     route("/export") {
 *         install(CancelableRoute) { timeout = 5.minutes }
 *         get { ... }
 *     }
 * }
 * ```
 *
 * The operation is named `METHOD /route/pattern` (`GET /report/{id}`), carries the method, path and
 * client address as metadata, and is the parent of whatever the handler starts (the handler runs
 * inside it: `currentOperation()` is the call's operation). Its timeout is the route's
 * ([CancelableRoute]), else the default ([CancelableCallsConfig.timeout]), capped by the caller's
 * deadline header. When it is canceled, the call answers [CancelableCallsConfig.timeoutStatus] for a
 * timeout, [CancelableCallsConfig.canceledStatus] with the reason otherwise, unless the response has
 * started; a client that disconnects cancels it with reason SIGNAL ("Client disconnected", logged
 * as 499). No stack trace is ever sent.
 *
 * Install it inside `routing { }` (every route) or in the routes you choose: the route pattern is
 * known only there, so installing it on the application is refused.
 *
 * Thread-safety: the plugin instance is shared by all calls and keeps no per-call state outside the call.
 */
public val CancelableCalls: RouteScopedPlugin<CancelableCallsConfig> =
    createRouteScopedPlugin("CancelableCalls", ::CancelableCallsConfig) {
        checkNotNull(route) {
            "CancelableCalls names operations after routes: install it inside routing { } or a route, not on the application"
        }
        val runner = CallRunner(pluginConfig)
        on(AroundCall) { call, proceed -> runner.run(call, proceed) }
    }

/**
 * Sets the timeout of one route (and the routes below it) for [CancelableCalls], or turns the
 * operation off there:
 * ```kotlin
 * route("/export") {
 *     install(CancelableRoute) { timeout = 5.minutes }
 * }
 * ```
 * The nearest installation wins. Thread-safety: as [CancelableCalls].
 */
public val CancelableRoute: RouteScopedPlugin<CancelableRouteConfig> =
    createRouteScopedPlugin("CancelableRoute", ::CancelableRouteConfig) {
        pluginConfig.timeout?.let { require(it.isPositive()) { "timeout must be positive, was $it" } }
        val settings = RouteSettings(pluginConfig.timeout, pluginConfig.enabled)
        on(CallSetup) { call -> call.attributes.put(RouteSettings.Key, settings) }
    }
