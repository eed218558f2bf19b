package dev.cancelable.ktor

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.OperationStatus
import dev.cancelable.currentOperation
import dev.cancelable.registry.OperationRegistry
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.ktor.client.request.get
import io.ktor.client.request.header
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.install
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.route
import io.ktor.server.routing.routing
import io.ktor.server.testing.testApplication
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.coroutineScope
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

class CancelableCallsTest : FunSpec({

    test("a call runs as an operation named after its method and route pattern, with method, path and client as metadata [scenario 130]") {
        val registry = OperationRegistry()
        testApplication {
            routing {
                install(CancelableCalls) { this.registry = registry }
                get("/orders/{id}") {
                    val op = currentOperation()!!
                    Cancelable(name = "load-order").run { }
                    call.respondText("${op.name} ${op.status}")
                }
            }
            client.get("/orders/42").bodyAsText() shouldBe "GET /orders/{id} running"
        }
        val call = registry.history().single { it.name == "GET /orders/{id}" }
        call.status shouldBe OperationStatus.COMPLETED
        call.metadata[CancelableCallsConfig.METHOD] shouldBe "GET"
        call.metadata[CancelableCallsConfig.PATH] shouldBe "/orders/42"
        call.metadata.containsKey(CancelableCallsConfig.CLIENT) shouldBe true
        call.metadata[CancelableCallsConfig.STATUS] shouldBe 200
        // The handler's own operation (global registry) names the call as its parent.
        OperationRegistry.global.history().last { it.name == "load-order" }.parentId shouldBe call.id
    }

    test("the default timeout answers 504, a route's own timeout replaces it, and 503 can be chosen for timeouts [scenario 131]") {
        val registry = OperationRegistry()
        testApplication {
            routing {
                install(CancelableCalls) {
                    this.registry = registry
                    timeout = 100.milliseconds
                }
                get("/slow") { awaitCancellation() }
                route("/patient") {
                    install(CancelableRoute) { timeout = 1.minutes }
                    get { call.respondText("took ${currentOperation()!!.deadline != null}") }
                }
            }
            val slow = client.get("/slow")
            slow.status shouldBe HttpStatusCode.GatewayTimeout
            slow.bodyAsText() shouldContain "Deadline exceeded"
            client.get("/patient").bodyAsText() shouldBe "took true"
        }
        registry.history().single { it.name == "GET /slow" }.cancelReason shouldBe CancellationReason.TIMEOUT
        testApplication {
            routing {
                install(CancelableCalls) {
                    this.registry = OperationRegistry()
                    timeout = 50.milliseconds
                    timeoutStatus = HttpStatusCode.ServiceUnavailable
                }
                get("/slow") { awaitCancellation() }
            }
            client.get("/slow").status shouldBe HttpStatusCode.ServiceUnavailable
        }
    }

    test("a registry cancel answers 503 with the reason and message, and no stack trace [scenario 132]") {
        val registry = OperationRegistry()
        testApplication {
            routing {
                install(CancelableCalls) { this.registry = registry }
                get("/work") { awaitCancellation() }
            }
            coroutineScope {
                val response = async { client.get("/work") }
                val live = registry.awaitLive("GET /work")
                registry.cancel(live.id, CancellationReason.MANUAL, "operator said stop") shouldBe true
                val answer = response.await()
                answer.status shouldBe HttpStatusCode.ServiceUnavailable
                val text = answer.bodyAsText()
                text shouldContain "manual"
                text shouldContain "operator said stop"
                text shouldNotContain "Exception"
                text shouldNotContain "\tat "
            }
        }
        registry.history().single().status shouldBe OperationStatus.CANCELED
    }

    test("a caller's Request-Timeout or grpc-timeout caps the timeout but never lengthens it [scenario 133]") {
        val registry = OperationRegistry()
        testApplication {
            routing {
                install(CancelableCalls) {
                    this.registry = registry
                    timeout = 1.minutes
                }
                get("/slow") { awaitCancellation() }
                get("/quick") { call.respondText("ok") }
            }
            client.get("/slow") { header(DeadlineHeaders.REQUEST_TIMEOUT, "0.1") }.status shouldBe HttpStatusCode.GatewayTimeout
            client.get("/slow") { header(DeadlineHeaders.GRPC_TIMEOUT, "80m") }.status shouldBe HttpStatusCode.GatewayTimeout
            client.get("/quick") { header(DeadlineHeaders.REQUEST_TIMEOUT, "3600") }.bodyAsText() shouldBe "ok"
            client.get("/quick") { header(DeadlineHeaders.REQUEST_TIMEOUT, "soon") }.bodyAsText() shouldBe "ok"
        }
        val slow = registry.history().filter { it.name == "GET /slow" }
        slow.map { it.metadata[CancelableCallsConfig.CALLER_DEADLINE_MS] } shouldContainExactly listOf(100L, 80L)
        slow.map { it.cancelReason } shouldContainExactly listOf(CancellationReason.TIMEOUT, CancellationReason.TIMEOUT)
        registry.history().filter { it.name == "GET /quick" }.map { it.metadata[CancelableCallsConfig.CALLER_DEADLINE_MS] } shouldBe listOf(null, null)
    }

    test("deadline headers parse and format as documented [scenario 133]") {
        DeadlineHeaders.parseRequestTimeout("2") shouldBe 2.seconds
        DeadlineHeaders.parseRequestTimeout("0.25") shouldBe 250.milliseconds
        DeadlineHeaders.parseRequestTimeout("-1") shouldBe null
        DeadlineHeaders.parseGrpcTimeout("300m") shouldBe 300.milliseconds
        DeadlineHeaders.parseGrpcTimeout("2S") shouldBe 2.seconds
        DeadlineHeaders.parseGrpcTimeout("1H") shouldBe 60.minutes
        DeadlineHeaders.parseGrpcTimeout("123456789m") shouldBe null
        DeadlineHeaders.formatRequestTimeout(1999.milliseconds) shouldBe "1.999"
        DeadlineHeaders.formatRequestTimeout((-5).seconds) shouldBe "0.000"
        DeadlineHeaders.formatGrpcTimeout(1500.milliseconds) shouldBe "1500m"
        DeadlineHeaders.parseParentId("abc<script>") shouldBe null
    }

    test("routes the plugin is not installed in, or that turn it off, run without an operation [scenario 134]") {
        val registry = OperationRegistry()
        testApplication {
            routing {
                route("/api") {
                    install(CancelableCalls) { this.registry = registry }
                    get("/a") { call.respondText("${currentOperation()?.name}") }
                    route("/internal") {
                        install(CancelableRoute) { enabled = false }
                        get { call.respondText("${currentOperation()?.name}") }
                    }
                }
                get("/health") { call.respondText("${currentOperation()?.name}") }
            }
            client.get("/api/a").bodyAsText() shouldBe "GET /api/a"
            client.get("/api/internal").bodyAsText() shouldBe "null"
            client.get("/health").bodyAsText() shouldBe "null"
        }
        registry.history().map { it.name } shouldBe listOf("GET /api/a")
    }

    test("installing on the application, or a non-positive timeout, is refused at install [scenario 134]") {
        testApplication {
            application {
                shouldThrow<IllegalStateException> { install(CancelableCalls) }.message shouldContain "routing"
                routing {
                    shouldThrow<IllegalArgumentException> { install(CancelableCalls) { timeout = 0.seconds } }.message shouldContain "timeout"
                }
            }
        }
    }
})
