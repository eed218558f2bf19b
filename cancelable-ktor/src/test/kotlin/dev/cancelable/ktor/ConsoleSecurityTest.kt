package dev.cancelable.ktor

import dev.cancelable.OperationStatus
import dev.cancelable.registry.OperationRegistry
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.ints.shouldBeInRange
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.ktor.client.request.delete
import io.ktor.client.request.get
import io.ktor.client.request.header
import io.ktor.client.request.post
import io.ktor.client.request.setBody
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.server.routing.routing
import io.ktor.server.testing.ApplicationTestBuilder
import io.ktor.server.testing.testApplication
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive

class ConsoleSecurityTest : FunSpec({

    fun ApplicationTestBuilder.console(registry: OperationRegistry) = routing {
        operationsConsole("/cancelable") {
            this.registry = registry
            tokens(ConsoleTokens(READ_TOKEN, CANCEL_TOKEN))
        }
    }

    suspend fun ApplicationTestBuilder.csrf(): String =
        Json.parseToJsonElement(client.get("/cancelable/session") { header(HttpHeaders.Authorization, "Bearer $CANCEL_TOKEN") }.bodyAsText())
            .jsonObject.getValue("csrf").jsonPrimitive.content

    test("the console refuses to start without an authentication decision [scenario 140]") {
        testApplication {
            application {
                routing {
                    shouldThrow<IllegalStateException> { operationsConsole("/cancelable") { } }.message shouldContain "authentication"
                    shouldThrow<IllegalArgumentException> { operationsConsole("/bad/") { tokens() } }.message shouldContain "path"
                }
            }
        }
    }

    test("without a token every console route answers 401, and a wrong token too [scenario 141]") {
        testApplication {
            console(OperationRegistry())
            for (path in listOf("/cancelable", "/cancelable/operations", "/cancelable/history", "/cancelable/events", "/cancelable/session", "/cancelable/operations/x")) {
                client.get(path).status shouldBe HttpStatusCode.Unauthorized
                client.get(path) { header(HttpHeaders.Authorization, "Bearer not-a-token") }.status shouldBe HttpStatusCode.Unauthorized
            }
            client.delete("/cancelable/operations/x").status shouldBe HttpStatusCode.Unauthorized
            client.post("/cancelable/operations/cancel") { setBody("""{"pattern":"*"}""") }.status shouldBe HttpStatusCode.Unauthorized
            client.get("/cancelable?token=wrong").status shouldBe HttpStatusCode.Unauthorized
        }
    }

    test("a read-only token reads but cannot cancel: 403, and the operation keeps running [scenario 142]") {
        val registry = OperationRegistry()
        val running = RunningOperations(registry)
        val op = running.start("nightly-export")
        registry.awaitLive("nightly-export")
        testApplication {
            console(registry)
            val csrf = csrf()
            val read = "Bearer $READ_TOKEN"
            client.get("/cancelable/operations") { header(HttpHeaders.Authorization, read) }.bodyAsText() shouldContain "nightly-export"
            client.delete("/cancelable/operations/${op.id}") {
                header(HttpHeaders.Authorization, read)
                header("X-Cancelable-Csrf", csrf)
            }.status shouldBe HttpStatusCode.Forbidden
            client.post("/cancelable/operations/cancel") {
                header(HttpHeaders.Authorization, read)
                header("X-Cancelable-Csrf", csrf)
                setBody("""{"pattern":"nightly-*"}""")
            }.status shouldBe HttpStatusCode.Forbidden
        }
        op.status shouldBe OperationStatus.RUNNING
        running.stop()
    }

    test("a cancel without the CSRF token, or from another site, is refused; with it, it cancels [scenario 143]") {
        val registry = OperationRegistry()
        val running = RunningOperations(registry)
        val op = running.start("import-users")
        running.start("import-orders")
        registry.awaitLive("import-orders")
        testApplication {
            console(registry)
            val csrf = csrf()
            val admin = "Bearer $CANCEL_TOKEN"
            client.delete("/cancelable/operations/${op.id}") { header(HttpHeaders.Authorization, admin) }.status shouldBe HttpStatusCode.Forbidden
            client.post("/cancelable/operations/cancel") {
                header(HttpHeaders.Authorization, admin)
                header(HttpHeaders.Origin, "https://evil.example")
                header("Sec-Fetch-Site", "cross-site")
                setBody("""{"pattern":"import-*"}""")
            }.status shouldBe HttpStatusCode.Forbidden
            client.post("/cancelable/operations/cancel") {
                header(HttpHeaders.Authorization, admin)
                header(HttpHeaders.Origin, "https://evil.example")
                header("X-Cancelable-Csrf", csrf)
                setBody("""{"pattern":"import-*"}""")
            }.status shouldBe HttpStatusCode.Forbidden
            client.get("/cancelable/operations/cancel") { header(HttpHeaders.Authorization, admin) }.status shouldBe HttpStatusCode.NotFound
            registry.list().size shouldBe 2
            client.delete("/cancelable/operations/${op.id}") {
                header(HttpHeaders.Authorization, admin)
                header("X-Cancelable-Csrf", csrf)
            }.status shouldBe HttpStatusCode.NoContent
            client.post("/cancelable/operations/cancel") {
                header(HttpHeaders.Authorization, admin)
                header("X-Cancelable-Csrf", csrf)
                setBody("""{"pattern":"import-*"}""")
            }.bodyAsText() shouldBe """{"canceled":1}"""
        }
        awaitValue { registry.list().takeIf { it.isEmpty() } }.shouldBeEmpty()
        registry.history().map { it.cancelMessage }.toSet() shouldBe setOf(
            "Canceled from the operations console", "Canceled from the operations console (pattern 'import-*')",
        )
        running.stop()
    }

    test("a token in the page's address becomes an HttpOnly SameSite cookie; the page forbids inline scripts [scenario 141]") {
        testApplication {
            console(OperationRegistry())
            val noRedirects = createClient { followRedirects = false }
            val signIn = noRedirects.get("/cancelable?token=$READ_TOKEN")
            signIn.status shouldBe HttpStatusCode.Found
            val cookie = signIn.headers[HttpHeaders.SetCookie]!!
            cookie shouldContain "HttpOnly"
            cookie shouldContain "SameSite=Strict"
            val page = noRedirects.get("/cancelable") { header(HttpHeaders.Cookie, "cancelable-console=$READ_TOKEN") }
            page.status shouldBe HttpStatusCode.OK
            page.headers["Content-Security-Policy"]!! shouldContain "script-src 'self'"
            page.bodyAsText() shouldNotContain READ_TOKEN
        }
    }

    test("errors never carry a stack trace, and names come back as JSON strings [scenario 144]") {
        val registry = OperationRegistry()
        val running = RunningOperations(registry)
        running.start("<img src=x onerror=alert(1)>")
        registry.awaitLive("<img src=x onerror=alert(1)>")
        testApplication {
            console(registry)
            val admin = "Bearer $CANCEL_TOKEN"
            val list = client.get("/cancelable/operations") { header(HttpHeaders.Authorization, admin) }.bodyAsText()
            Json.parseToJsonElement(list).jsonObject.getValue("operations").toString() shouldContain "<img src=x onerror=alert(1)>"
            val bad = client.post("/cancelable/operations/cancel") {
                header(HttpHeaders.Authorization, admin)
                header("X-Cancelable-Csrf", csrf())
                setBody("{not json")
            }
            bad.status.value shouldBeInRange 400..499
            bad.bodyAsText() shouldNotContain "Exception"
        }
        running.stop()
    }
})
