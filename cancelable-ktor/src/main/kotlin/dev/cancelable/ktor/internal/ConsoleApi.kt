package dev.cancelable.ktor.internal

import dev.cancelable.CancellationReason
import dev.cancelable.OperationStatus
import dev.cancelable.ktor.ConsolePermission
import dev.cancelable.registry.OperationFilter
import io.ktor.http.ContentType
import io.ktor.http.Cookie
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.ApplicationCall
import io.ktor.server.request.receiveText
import io.ktor.server.response.header
import io.ktor.server.response.respondBytesWriter
import io.ktor.server.response.respondRedirect
import io.ktor.server.response.respondText
import io.ktor.server.routing.Route
import io.ktor.server.routing.delete
import io.ktor.server.routing.get
import io.ktor.server.routing.post
import io.ktor.utils.io.writeStringUtf8
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import kotlinx.serialization.json.putJsonArray
import kotlin.time.Duration.Companion.seconds

/** The console's routes: the page, its assets, the JSON API and the event stream. */
internal class ConsoleApi(
    private val state: ConsoleState,
    private val access: ConsoleAccess,
    private val path: String,
    private val title: String,
) {
    private val registry = state.registry

    fun staticRoutes(route: Route) = with(route) {
        get("console.js") { call.respondText(ConsolePage.asset("console.js"), ContentType.Text.JavaScript) }
        get("console.css") { call.respondText(ConsolePage.asset("console.css"), ContentType.Text.CSS) }
    }

    fun routes(route: Route) = with(route) {
        get { page(call) }
        get("/") { page(call) }
        get("session") {
            val permissions = allowed(call, ConsolePermission.READ) ?: return@get
            json(call, buildJsonObject {
                put("csrf", state.csrf)
                putJsonArray("permissions") { permissions.forEach { add(JsonPrimitive(it.name)) } }
            })
        }
        get("operations") {
            allowed(call, ConsolePermission.READ) ?: return@get
            val filter = filter(call) ?: return@get
            list(call, registry.list(filter))
        }
        get("history") {
            allowed(call, ConsolePermission.READ) ?: return@get
            val filter = filter(call) ?: return@get
            val limit = call.request.queryParameters["limit"]?.let { it.toIntOrNull()?.takeIf { n -> n in 1..10_000 } ?: return@get bad(call, "limit must be 1-10000") } ?: 200
            list(call, registry.history(filter).asReversed().take(limit))
        }
        get("operations/{id}") {
            allowed(call, ConsolePermission.READ) ?: return@get
            val id = call.parameters["id"].orEmpty()
            val op = registry.get(id) ?: registry.history().lastOrNull { it.id == id }
            if (op == null) problem(call, HttpStatusCode.NotFound, "no operation $id") else json(call, state.json(op))
        }
        delete("operations/{id}") {
            allowed(call, ConsolePermission.CANCEL) ?: return@delete
            val id = call.parameters["id"].orEmpty()
            if (registry.cancel(id, CancellationReason.MANUAL, "Canceled from the operations console")) call.respondText("", status = HttpStatusCode.NoContent)
            else problem(call, HttpStatusCode.NotFound, "no running operation $id")
        }
        post("operations/cancel") {
            allowed(call, ConsolePermission.CANCEL) ?: return@post
            val pattern = pattern(call) ?: return@post bad(call, "the body must be JSON {\"pattern\": \"name or glob\"}")
            val canceled = registry.cancelAll(
                OperationFilter(namePattern = pattern), CancellationReason.MANUAL, "Canceled from the operations console (pattern '$pattern')",
            )
            json(call, buildJsonObject { put("canceled", canceled) })
        }
        get("events") {
            allowed(call, ConsolePermission.READ) ?: return@get
            events(call)
        }
    }

    /** The caller's permissions if they include [needed] (and, for a change, the CSRF check passed); else answers 401/403 and returns null. */
    private suspend fun allowed(call: ApplicationCall, needed: ConsolePermission): Set<ConsolePermission>? {
        val permissions = access.permissions(call)
        if (permissions == null) {
            call.response.header(HttpHeaders.WWWAuthenticate, "Bearer realm=\"operations console\"")
            problem(call, HttpStatusCode.Unauthorized, "authentication required")
            return null
        }
        if (needed !in permissions) {
            problem(call, HttpStatusCode.Forbidden, "this user may not ${needed.name.lowercase()}")
            return null
        }
        if (!ConsoleAccess.csrfAllows(call, state.csrf)) {
            problem(call, HttpStatusCode.Forbidden, "missing or wrong ${ConsoleAccess.CSRF_HEADER}, or a cross-site request")
            return null
        }
        return permissions
    }

    private suspend fun page(call: ApplicationCall) {
        val token = call.request.queryParameters["token"]
        if (token != null && access is ConsoleAccess.Tokens) {
            if (access.permissionsOf(token) == null) return problem(call, HttpStatusCode.Unauthorized, "unknown token")
            call.response.cookies.append(
                Cookie(ConsoleAccess.COOKIE, token, path = path, httpOnly = true, extensions = mapOf("SameSite" to "Strict")),
            )
            return call.respondRedirect(path)
        }
        allowed(call, ConsolePermission.READ) ?: return
        call.response.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
        call.response.header("X-Content-Type-Options", "nosniff")
        call.respondText(ConsolePage.html(path, title), ContentType.Text.Html)
    }

    private suspend fun filter(call: ApplicationCall): OperationFilter? {
        val status = call.request.queryParameters["status"]?.takeIf { it.isNotEmpty() }?.let { text ->
            OperationStatus.entries.firstOrNull { it.toString().equals(text, ignoreCase = true) } ?: run {
                bad(call, "unknown status")
                return null
            }
        }
        val name = call.request.queryParameters["name"]?.takeIf { it.isNotBlank() }
        if (name != null && name.length > 200) return null.also { bad(call, "name must be at most 200 characters") }
        return OperationFilter(status = status, namePattern = name)
    }

    private suspend fun pattern(call: ApplicationCall): String? {
        val text = try {
            withTimeoutOrNull(5.seconds) { call.receiveText() }
        } catch (_: Exception) {
            null
        } ?: return null
        if (text.length > 10_000) return null
        val body = try { Json.parseToJsonElement(text) } catch (_: Exception) { return null } as? JsonObject ?: return null
        val pattern = (body["pattern"] as? JsonPrimitive)?.takeIf { it.isString }?.content ?: return null
        return pattern.takeIf { it.isNotBlank() && it.length <= 200 }
    }

    private suspend fun events(call: ApplicationCall) {
        val stream = state.open()
        call.response.header(HttpHeaders.CacheControl, "no-store")
        try {
            call.respondBytesWriter(ContentType.Text.EventStream) {
                writeStringUtf8("event: hello\ndata: {}\n\n")
                flush()
                while (true) {
                    val event = withTimeoutOrNull(15.seconds) { stream.events.receiveCatching().getOrNull() ?: "" } ?: ": ping\n\n"
                    if (event.isEmpty()) break
                    if (stream.overflowed) {
                        stream.overflowed = false
                        while (stream.events.tryReceive().isSuccess) continue
                        writeStringUtf8("event: resync\ndata: {}\n\n")
                    } else {
                        writeStringUtf8(event)
                    }
                    flush()
                }
            }
        } finally {
            state.closeStream(stream)
        }
    }

    private suspend fun list(call: ApplicationCall, operations: List<dev.cancelable.OperationContext>) = json(call, buildJsonObject {
        put("now", System.currentTimeMillis())
        put("operations", JsonArray(operations.map(state::json)))
    })

    private suspend fun json(call: ApplicationCall, body: JsonObject, status: HttpStatusCode = HttpStatusCode.OK) {
        call.response.header(HttpHeaders.CacheControl, "no-store")
        call.respondText(body.toString(), ContentType.Application.Json, status)
    }

    private suspend fun bad(call: ApplicationCall, message: String) = problem(call, HttpStatusCode.BadRequest, message)

    private suspend fun problem(call: ApplicationCall, status: HttpStatusCode, message: String) =
        json(call, buildJsonObject { put("error", message) }, status)
}
