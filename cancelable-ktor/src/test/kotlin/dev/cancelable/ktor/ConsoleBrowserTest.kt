package dev.cancelable.ktor

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.OperationStatus
import dev.cancelable.registry.OperationRegistry
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.ktor.server.routing.routing
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import org.openqa.selenium.By
import org.openqa.selenium.NoAlertPresentException
import org.openqa.selenium.OutputType
import org.openqa.selenium.StaleElementReferenceException
import org.openqa.selenium.WebDriver
import org.openqa.selenium.chrome.ChromeDriver
import org.openqa.selenium.support.ui.WebDriverWait
import java.io.File
import java.time.Duration
import kotlin.time.Duration.Companion.milliseconds

/** The console in a real browser: live updates over SSE, the cancel button, and escaping of hostile names. */
class ConsoleBrowserTest : FunSpec({
    val registry = OperationRegistry()
    val running = RunningOperations(registry)
    val server = NettyServer {
        routing {
            operationsConsole("/cancelable") {
                this.registry = registry
                title = "Operations: orders service"
                tokens(ConsoleTokens(READ_TOKEN, CANCEL_TOKEN))
            }
        }
    }
    lateinit var browser: ChromeDriver
    beforeSpec { browser = Browser.start() }
    afterSpec {
        browser.quit()
        running.stop()
        server.close()
    }

    fun WebDriver.until(what: String, condition: (WebDriver) -> Boolean) {
        try {
            // The page re-renders rows as events arrive, so an element found a moment ago may be gone.
            WebDriverWait(this, Duration.ofSeconds(10), Duration.ofMillis(20))
                .ignoring(StaleElementReferenceException::class.java)
                .until { condition(it) }
        } catch (e: Exception) {
            throw AssertionError("$what did not happen in the browser within 10 s", e)
        }
    }

    fun row(table: String, id: String) = browser.findElements(By.cssSelector("#$table tbody tr[data-id='$id']")).firstOrNull()

    fun openConsole() {
        browser.get("${server.base}/cancelable?token=$CANCEL_TOKEN")
        browser.until("the event stream connecting") { it.findElement(By.id("connection")).text == "live" }
    }

    test("a running operation appears over SSE, its cancel button cancels it, and it turns canceled [scenario 146]") {
        openConsole()
        val op = running.start("resize-images", metadata = mapOf("album" to "holidays"))
        browser.until("the new operation appearing") { row("live", op.id)?.getAttribute("data-status") == "running" }
        op.reportProgress("resized 3 of 10")
        browser.until("its progress appearing") { row("live", op.id)?.findElement(By.className("progress"))?.text == "resized 3 of 10" }
        browser.until("the cancel button clicked") {
            row("live", op.id)!!.findElement(By.cssSelector("button.cancel")).click()
            true
        }
        browser.until("the operation leaving the running list") { row("live", op.id) == null }
        browser.until("the operation in history as canceled") { row("history", op.id)?.getAttribute("data-status") == "canceled" }
        browser.until("the cancel message in history") { row("history", op.id)!!.text.contains("Canceled from the operations console") }
        op.status shouldBe OperationStatus.CANCELED
    }

    test("an operation named <img src=x onerror=...> shows as text and runs nothing [scenario 147]") {
        openConsole()
        val hostile = "<img src=x onerror=\"window.__xss=1;alert(1)\">"
        val op = running.start(hostile, metadata = mapOf("note" to "<script>window.__xss=2</script>", "<b>key</b>" to "<svg onload=alert(3)>"))
        op.reportProgress("<iframe src=javascript:alert(4)>")
        browser.until("the hostile operation appearing") { row("live", op.id) != null }
        browser.until("its progress appearing") { row("live", op.id)!!.findElement(By.className("progress")).text.isNotEmpty() }
        browser.until("the name shown as text") { row("live", op.id)!!.findElement(By.className("op-name")).text == hostile }
        browser.executeScript("return typeof window.__xss") shouldBe "undefined"
        (browser.executeScript("return document.querySelectorAll('main img, main script, main svg, main iframe').length") as Long) shouldBe 0L
        val alert = try { browser.switchTo().alert().text } catch (_: NoAlertPresentException) { null }
        alert shouldBe null
        op.cancel()
    }

    test("the console's screenshot for the README is taken from the browser [scenario 146]") {
        awaitValue { registry.list().takeIf { it.isEmpty() } }
        registry.cleanupCompleted()
        running.start("GET /reports/{id}").cancel(CancellationReason.MANUAL, "Canceled from the operations console")
        runBlocking {
            Cancelable(name = "POST /orders", registry = registry).run { delay(40.milliseconds) }
            Cancelable(name = "GET /search", timeout = 30.milliseconds, registry = registry).runOrNull { awaitCancellation() }
        }
        val report = running.start("GET /reports/{id}", metadata = mapOf("http.method" to "GET", "http.path" to "/reports/2024-q3", "http.client" to "127.0.0.1"))
        val render = running.start("render-pdf", parent = report)
        running.start("fetch-sales", parent = report).reportProgress("region 4 of 7")
        render.reportProgress("page 3 of 8")
        val export = running.start("nightly-export", metadata = mapOf("tenant" to "acme"))
        export.reportProgress("exported 12,400 rows")
        openConsole()
        browser.until("the tree showing") { row("live", render.id) != null && row("live", export.id) != null }
        browser.until("the history showing") { browser.findElements(By.cssSelector("#history tbody tr")).size >= 3 }
        val target = File(System.getProperty("cancelable.screenshot", "target/console.png"))
        target.parentFile.mkdirs()
        browser.getScreenshotAs(OutputType.FILE).copyTo(target, overwrite = true)
        println("console screenshot written to $target")
        (target.length() > 10_000) shouldBe true
    }
})
