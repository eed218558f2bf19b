package dev.cancelable.ktor.internal

import io.ktor.util.AttributeKey
import kotlin.time.Duration

/** What [dev.cancelable.ktor.CancelableRoute] sets for the calls of its routes. */
internal class RouteSettings(val timeout: Duration?, val enabled: Boolean) {
    companion object {
        val Key: AttributeKey<RouteSettings> = AttributeKey("CancelableRouteSettings")
    }
}
