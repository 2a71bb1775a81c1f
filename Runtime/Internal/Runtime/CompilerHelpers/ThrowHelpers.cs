using Cowbird.Runtime;

namespace Internal.Runtime.CompilerHelpers
{
    // ILC calls these (by name) where IL would throw a runtime exception: range
    // checks, `checked` overflow, division by zero, removed method bodies. With no
    // unwinder each one is a panic naming the failed check.
    internal static class ThrowHelpers
    {
        internal static void ThrowOverflowException() => RuntimePanic.Fail("arithmetic overflow");
        internal static void ThrowIndexOutOfRangeException() => RuntimePanic.Fail("index out of range");
        internal static void ThrowNullReferenceException() => RuntimePanic.Fail("null reference");
        internal static void ThrowDivideByZeroException() => RuntimePanic.Fail("division by zero");
        internal static void ThrowArrayTypeMismatchException() => RuntimePanic.Fail("array type mismatch");
        internal static void ThrowInvalidCastException() => RuntimePanic.Fail("invalid cast");
        internal static void ThrowPlatformNotSupportedException() => RuntimePanic.Fail("platform not supported");
        internal static void ThrowNotImplementedException() => RuntimePanic.Fail("not implemented");
        internal static void ThrowNotSupportedException() => RuntimePanic.Fail("not supported");
        internal static void ThrowArgumentException() => RuntimePanic.Fail("invalid argument");
        internal static void ThrowArgumentOutOfRangeException() => RuntimePanic.Fail("argument out of range");
        internal static void ThrowBodyRemoved() => RuntimePanic.Fail("method body removed by the compiler");
        internal static void ThrowFeatureBodyRemoved() => RuntimePanic.Fail("method body removed: feature disabled");
        internal static void ThrowInstanceBodyRemoved() => RuntimePanic.Fail("instance method body removed: type never constructed");
        internal static void ThrowUnavailableType() => RuntimePanic.Fail("type not available in this image");
        internal static void ThrowMissingMethodException() => RuntimePanic.Fail("missing method");
        internal static void ThrowMissingFieldException() => RuntimePanic.Fail("missing field");
        internal static void ThrowAmbiguousMatchException() => RuntimePanic.Fail("ambiguous match");
        internal static void ThrowFileNotFoundException() => RuntimePanic.Fail("file not found");
        internal static void ThrowMarshalDirectiveException() => RuntimePanic.Fail("marshal directive");
        internal static void ThrowBadImageFormatException(int id) => RuntimePanic.Fail("bad image format");
        internal static void ThrowInvalidProgramException(int id) => RuntimePanic.Fail("invalid program");
        internal static void ThrowInvalidProgramExceptionWithArgument(int id, string methodName) => RuntimePanic.Fail("invalid program", methodName);
        internal static void ThrowTypeLoadException(int id, string className, string typeName) => RuntimePanic.Fail("type load failure", typeName);
        internal static void ThrowTypeLoadExceptionWithArgument(int id, string className, string typeName, string messageArg) => RuntimePanic.Fail("type load failure", typeName);
    }
}
