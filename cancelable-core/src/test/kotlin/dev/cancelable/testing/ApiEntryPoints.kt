package dev.cancelable.testing

import java.io.File

/**
 * The public entry points of the modules, read from their committed API dumps (`api/<module>.api`),
 * so that tables of inputs can be checked against every one of them.
 */
object ApiEntryPoints {

    /** One member line of a dump: `dev/cancelable/Operations`, `Cancelable-HtTnoSU`, `(Ljava/lang/String;...)L...;`. */
    class Member(val owner: String, val name: String, val descriptor: String, val isStatic: Boolean) {
        /** `Operations.Cancelable`: simple class name (companions folded into their class), name unmangled. */
        val key: String
            get() {
                val simple = owner.substringAfterLast('/').removeSuffix("\$Companion").removeSuffix("\$Key")
                return "$simple.${name.substringBefore('-')}"
            }

        val parameterDescriptor: String get() = descriptor.substring(1, descriptor.indexOf(')'))
        val hasParameters: Boolean get() = parameterDescriptor.isNotEmpty()
        val isSuspend: Boolean get() = parameterDescriptor.endsWith("Lkotlin/coroutines/Continuation;")
        val isConstructor: Boolean get() = name == "<init>"

        override fun toString(): String = "$owner.$name$descriptor"
    }

    /** The module folders next to each other: the core's tests run in `cancelable-core`. */
    val modules = listOf("cancelable-core", "cancelable-java-facade", "cancelable-test")

    fun dumpOf(module: String): File {
        val here = File("").absoluteFile
        val root = if (File(here, "cancelable-core").isDirectory) here else here.parentFile
        return File(root, "$module/api/$module.api")
    }

    fun members(module: String): List<Member> {
        val result = ArrayList<Member>()
        var owner: String? = null
        for (line in dumpOf(module).readLines()) {
            if (!line.startsWith("\t")) {
                owner = Regex("""(?:class|interface) (\S+)""").find(line)?.groupValues?.get(1)
                continue
            }
            if (" field " in line) continue
            val match = Regex("""fun (\S+) (\([^)]*\)\S+)""").find(line) ?: continue
            result += Member(owner!!, match.groupValues[1], match.groupValues[2], " static " in line)
        }
        return result
    }

    /**
     * The entry points that take input: every member with parameters, and every constructor (a
     * no-argument constructor can be bad input too: a source with nothing to watch).
     */
    fun keysTakingInput(): Map<String, List<Member>> = modules.flatMap { members(it) }
        .filter { it.hasParameters || it.isConstructor }
        .groupBy { it.key }
        .toSortedMap()
}
