package dev.cancelable.registry

import dev.cancelable.Cancelable
import dev.cancelable.OperationStatus
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import java.lang.management.ManagementFactory
import java.net.InetAddress
import java.net.ServerSocket
import java.rmi.server.RMIServerSocketFactory
import javax.management.ObjectName
import javax.management.openmbean.CompositeData
import javax.management.remote.JMXConnectorFactory
import javax.management.remote.JMXConnectorServerFactory
import javax.management.remote.JMXServiceURL
import javax.management.remote.rmi.RMIConnectorServer
import kotlin.time.Duration.Companion.seconds

/** Binds RMI's server sockets to loopback only. */
private class LoopbackSockets : RMIServerSocketFactory, java.io.Serializable {
    override fun createServerSocket(port: Int): ServerSocket = ServerSocket(port, 50, InetAddress.getLoopbackAddress())
    override fun equals(other: Any?) = other is LoopbackSockets
    override fun hashCode() = 1
}

class RegistryJmxTest : FunSpec({

    test("a JMX client over a loopback connector lists the global registry's running operation and cancels it by id") {
        val handle = OperationRegistry.global.exposeJmx("jmx-test")
        val server = JMXConnectorServerFactory.newJMXConnectorServer(
            JMXServiceURL("rmi", "127.0.0.1", 0),
            mapOf(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE to LoopbackSockets()),
            ManagementFactory.getPlatformMBeanServer(),
        )
        server.start()
        try {
            runBlocking {
                val op = Cancelable(name = "jmx-visible")
                val running = CompletableDeferred<Unit>()
                val job = launch(Dispatchers.Default) { runCatching { op.run { running.complete(Unit); awaitCancellation() } } }
                withTimeout(30.seconds) { running.await() }

                JMXConnectorFactory.connect(server.address).use { connector ->
                    val connection = connector.mBeanServerConnection
                    val name = ObjectName("dev.cancelable:type=OperationRegistry,name=jmx-test")
                    @Suppress("UNCHECKED_CAST")
                    val rows = connection.getAttribute(name, "ActiveOperations") as Array<CompositeData>
                    val row = rows.single { it["id"] == op.id }
                    row["name"] shouldBe "jmx-visible"
                    row["status"] shouldBe "running"
                    (connection.getAttribute(name, "ActiveCount") as Int) shouldBe OperationRegistry.global.activeCount
                    connection.invoke(name, "cancel", arrayOf(op.id), arrayOf(String::class.java.name)) shouldBe true
                }
                withTimeout(30.seconds) { job.join() }
                op.status shouldBe OperationStatus.CANCELED
                op.cancelMessage shouldBe "Canceled over JMX"
            }
        } finally {
            server.stop()
            handle.close()
        }
        ManagementFactory.getPlatformMBeanServer()
            .isRegistered(ObjectName("dev.cancelable:type=OperationRegistry,name=jmx-test")) shouldBe false
    }

    test("the MBean is named as documented, quoting only a name that needs it; a blank name is refused") {
        val server = ManagementFactory.getPlatformMBeanServer()
        OperationRegistry().exposeJmx("docs").use {
            server.isRegistered(ObjectName("dev.cancelable:type=OperationRegistry,name=docs")) shouldBe true
        }
        OperationRegistry().exposeJmx("tenant=a,b").use {
            server.isRegistered(ObjectName("dev.cancelable:type=OperationRegistry,name=" + ObjectName.quote("tenant=a,b"))) shouldBe true
        }
        shouldThrow<IllegalArgumentException> { OperationRegistry().exposeJmx(" ") }.message shouldBe "name must not be blank"
    }

    test("a registry is exposed only when asked, once per name, with statistics and cancel by pattern") {
        val server = ManagementFactory.getPlatformMBeanServer()
        val name = ObjectName("dev.cancelable:type=OperationRegistry,name=stats")
        server.isRegistered(name) shouldBe false
        val registry = OperationRegistry()
        registry.exposeJmx("stats").use {
            shouldThrow<IllegalStateException> { OperationRegistry().exposeJmx("stats") }
            runBlocking {
                val op = Cancelable(name = "user_7_export", registry = registry)
                val running = CompletableDeferred<Unit>()
                val job = launch(Dispatchers.Default) { runCatching { op.run { running.complete(Unit); awaitCancellation() } } }
                running.await()
                @Suppress("UNCHECKED_CAST")
                val stats = server.getAttribute(name, "Statistics") as javax.management.openmbean.TabularData
                stats.values().map { (it as CompositeData)["key"] to (it["value"] as Long) }.toMap()["active"] shouldBe 1L
                server.invoke(name, "cancelByPattern", arrayOf("user_7_*"), arrayOf(String::class.java.name)) shouldBe 1
                job.join()
            }
        }
        server.isRegistered(name) shouldBe false
    }
})
