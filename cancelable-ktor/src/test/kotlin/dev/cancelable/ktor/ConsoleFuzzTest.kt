package dev.cancelable.ktor

import dev.cancelable.OperationStatus
import dev.cancelable.registry.OperationRegistry
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import io.ktor.client.request.header
import io.ktor.client.request.request
import io.ktor.client.request.setBody
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpMethod
import io.ktor.server.routing.routing
import io.ktor.server.testing.testApplication
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import io.ktor.client.request.get
import io.ktor.client.statement.bodyAsText
import kotlin.random.Random

/** Random bytes in paths, headers and JSON bodies against the console's JSON API: only 4xx, and the registry untouched. */
class ConsoleFuzzTest : FunSpec({

    test("10,000 requests with random paths, headers and bodies get only 4xx answers and leave the registry intact [scenario 145]") {
        val registry = OperationRegistry()
        val running = RunningOperations(registry)
        val ops = listOf("import-users", "GET /report/{id}", "nightly-export").map { running.start(it) }
        awaitValue { registry.list().takeIf { it.size == 3 } }
        val random = Random(20_260_101)
        val statuses = HashMap<Int, Int>()
        val unexpected = ArrayList<String>()

        fun bytes(max: Int) = ByteArray(random.nextInt(max + 1)).also(random::nextBytes)
        fun printable(max: Int) = String(CharArray(random.nextInt(max + 1)) { (0x20 + random.nextInt(0x5f)).toChar() })
        fun encoded(max: Int) = bytes(max).joinToString("") { "%%%02X".format(it) }
        fun body(): String = when (random.nextInt(6)) {
            0 -> String(bytes(200), Charsets.ISO_8859_1)
            1 -> """{"pattern": ${random.nextInt()}}"""
            2 -> """{"pattern": "${" ".repeat(random.nextInt(3))}"}"""
            3 -> """{"pattern": "${"x".repeat(201 + random.nextInt(100))}"}"""
            4 -> """{"pattern": [${printable(20).replace("\"", "")}"""
            else -> """[{"pattern": "${printable(10).replace("\"", "").replace("\\", "")}"}]"""
        }

        testApplication {
            routing {
                operationsConsole("/cancelable") {
                    this.registry = registry
                    tokens(ConsoleTokens(READ_TOKEN, CANCEL_TOKEN))
                }
            }
            val csrf = Json.parseToJsonElement(client.get("/cancelable/session") { header(HttpHeaders.Authorization, "Bearer $CANCEL_TOKEN") }.bodyAsText())
                .jsonObject.getValue("csrf").jsonPrimitive.content
            val historyBefore = registry.history().size
            repeat(10_000) { n ->
                val kind = n % 5
                val method = listOf(HttpMethod.Get, HttpMethod.Post, HttpMethod.Delete, HttpMethod.Put)[random.nextInt(4)]
                val path = when (kind) {
                    0 -> "/cancelable/operations/cancel"                       // a bad JSON body
                    1 -> "/cancelable/operations/${encoded(40)}x"              // an unknown id
                    2 -> listOf("/cancelable/operations", "/cancelable/history", "/cancelable/events", "/cancelable/session")[random.nextInt(4)]
                    3 -> "/cancelable/history?limit=x${encoded(8)}&status=${encoded(8)}"
                    else -> "/cancelable/z${encoded(30)}/${printable(10).filter { it.isLetterOrDigit() }}"
                }
                val answer = try {
                    client.request(path) {
                        this.method = when (kind) {
                            0 -> HttpMethod.Post
                            1 -> if (random.nextBoolean()) HttpMethod.Delete else HttpMethod.Get
                            3 -> HttpMethod.Get
                            else -> method
                        }
                        when (kind) {
                            2 -> if (random.nextBoolean()) header(HttpHeaders.Authorization, "Bearer ${printable(40)}")
                                else header(HttpHeaders.Cookie, "cancelable-console=${printable(30).filter { it.isLetterOrDigit() }}")
                            else -> header(HttpHeaders.Authorization, "Bearer $CANCEL_TOKEN")
                        }
                        header("X-Cancelable-Csrf", if (kind == 1 && random.nextInt(4) == 0) printable(40) else csrf)
                        if (random.nextBoolean()) header("X-${printable(8).filter { it.isLetter() }}", printable(60))
                        // The client itself refuses a malformed Content-Type; a bogus charset reaches the server.
                        if (random.nextBoolean()) header(HttpHeaders.ContentType, "text/${printable(8).filter { it.isLetter() }}x; charset=${printable(12).filter { it.isLetterOrDigit() }}y")
                        if (kind == 0 || random.nextInt(4) == 0) setBody(body())
                    }.status.value
                } catch (e: Exception) {
                    unexpected += "$path: the client failed: $e"
                    -1
                }
                statuses.merge(answer, 1, Int::plus)
                if (answer !in 400..499) unexpected += "$path -> $answer"
            }
            registry.history().size shouldBe historyBefore
        }
        println("fuzz answers by status: ${statuses.toSortedMap()}")
        unexpected.take(20).shouldBeEmpty()
        registry.list().map { it.id }.toSet() shouldBe ops.map { it.id }.toSet()
        ops.forEach { it.status shouldBe OperationStatus.RUNNING }
        running.stop()
    }
})
