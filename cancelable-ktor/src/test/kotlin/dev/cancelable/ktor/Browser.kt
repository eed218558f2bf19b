package dev.cancelable.ktor

import org.openqa.selenium.chrome.ChromeDriver
import org.openqa.selenium.chrome.ChromeDriverService
import org.openqa.selenium.chrome.ChromeOptions
import java.io.File
import java.time.Duration

/**
 * Headless Chromium from the system's packages (Debian's `chromium` and `chromium-driver`), driven
 * by Selenium with both paths given explicitly: Selenium Manager never downloads anything. If it
 * cannot start, the test fails and says how to install it; it is never skipped.
 */
object Browser {
    private val binary = System.getProperty("chromium.binary", "/usr/bin/chromium")
    private val driverPath = System.getProperty("chromedriver.binary", "/usr/bin/chromedriver")

    fun start(): ChromeDriver {
        val missing = listOf(binary, driverPath).filterNot { File(it).canExecute() }
        if (missing.isNotEmpty()) throw AssertionError("${how()} (missing: $missing)")
        val service = ChromeDriverService.Builder().usingDriverExecutable(File(driverPath)).usingAnyFreePort().build()
        val options = ChromeOptions()
            .setBinary(binary)
            .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,860", "--lang=en-US")
        return try {
            ChromeDriver(service, options).also { it.manage().timeouts().scriptTimeout(Duration.ofSeconds(10)) }
        } catch (e: Exception) {
            throw AssertionError("${how()}: ${e.message?.lineSequence()?.firstOrNull()}", e)
        }
    }

    private fun how() =
        "headless Chromium could not start from $binary with $driverPath; install them with " +
            "`sudo apt-get update && sudo apt-get install -y chromium chromium-driver` (Debian/Ubuntu), or point " +
            "-Dchromium.binary and -Dchromedriver.binary at a Chromium and its matching chromedriver"
}
