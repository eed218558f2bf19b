package dev.cancelable.examples

import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import dev.cancelable.registry.OperationRegistry
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import java.net.InetAddress
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse.BodyHandlers
import java.time.Duration
import kotlin.time.Duration.Companion.seconds
import dev.cancelable.examples.java.HttpExample as JavaHttpExample
import dev.cancelable.examples.kotlin.HttpExample as KotlinHttpExample

/**
 * The HTTP example's server, in both languages, on an ephemeral loopback port: a slow request is
 * listed live at GET /operations and canceled by DELETE /operations/{id}, and ends canceled.
 */
@Timeout(60)
class HttpExampleTest {
    private val client = HttpClient.newHttpClient()
    private val json = ObjectMapper()

    @Test
    fun kotlinServerListsALiveOperationAndCancelsItOverHttp() {
        val registry = OperationRegistry()
        KotlinHttpExample.Server(registry, 30.seconds).use { server -> listAndCancel(server.uri, registry) }
    }

    @Test
    fun javaServerListsALiveOperationAndCancelsItOverHttp() {
        val registry = OperationRegistry()
        JavaHttpExample.Server(registry, Duration.ofSeconds(30)).use { server -> listAndCancel(server.uri(), registry) }
    }

    private fun listAndCancel(uri: URI, registry: OperationRegistry) {
        assertTrue(InetAddress.getByName(uri.host).isLoopbackAddress) { "bound to $uri, not to loopback" }
        assertTrue(uri.port > 0)

        val slow = client.sendAsync(request(uri, "GET", "/work?ms=60000"), BodyHandlers.ofString())
        var work: JsonNode? = null
        while (work == null) {
            val listing = client.send(request(uri, "GET", "/operations"), BodyHandlers.ofString())
            assertEquals(200, listing.statusCode())
            assertTrue(listing.headers().firstValue("Content-Type").orElse("").startsWith("application/json"))
            work = json.readTree(listing.body()).firstOrNull { it["name"].asText() == "GET /work" }
            if (work == null) Thread.sleep(5)
        }
        assertEquals("running", work["status"].asText())
        assertEquals(60000, work["metadata"]["ms"].asInt())
        val id = work["id"].asText()
        assertEquals(id, registry.list().single().id, "the JSON lists the registry's operation")

        assertEquals(204, client.send(request(uri, "DELETE", "/operations/$id"), BodyHandlers.discarding()).statusCode())
        val response = slow.get()
        assertEquals(503, response.statusCode())
        assertTrue(response.body().contains("canceled: manual - canceled over HTTP")) { response.body() }

        assertEquals(404, client.send(request(uri, "DELETE", "/operations/$id"), BodyHandlers.discarding()).statusCode())
        assertEquals("[]", client.send(request(uri, "GET", "/operations"), BodyHandlers.ofString()).body())
        val finished = registry.history().single()
        assertEquals(id, finished.id)
        assertEquals("canceled", finished.status.toString())
        assertEquals("manual", finished.cancelReason?.toString())
    }

    private fun request(base: URI, method: String, path: String): HttpRequest =
        HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody()).build()
}
