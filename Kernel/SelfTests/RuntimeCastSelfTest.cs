using System;
using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // Casts and boxing: the base-type chain, interfaces (also inherited through a
    // base class), arrays as object / System.Array / covariant arrays, and
    // Nullable<T> boxed and unboxed with and without a value.
    public sealed class RuntimeCastSelfTest : SelfTest
    {
        public override string Name => "runtime-casts";

        private interface IPrintable { }
        private class Animal : IPrintable { }
        private class Cow : Animal { }
        private sealed class Calf : Cow { }
        private sealed class Rock { }

        public override bool Run(BootInfo bootInfo)
        {
            object calf = new Calf();
            object rock = new Rock();
            bool ok = Check(calf is Cow && calf is Animal && calf is IPrintable && !(rock is Animal) && !(rock is IPrintable),
                "is: base classes and an interface inherited from a base class");
            ok &= Check(calf as Calf != null && rock as Cow == null, "as");

            object numbers = new int[] { 1, 2, 3 };
            object names = new string[] { "a", "b" };
            ok &= Check(numbers is Array && names is Array && !(rock is Array), "arrays are System.Array, other objects are not");
            Array asArray = (Array)numbers;
            ok &= Check(asArray.Length == 3, "an int[] cast to Array keeps its length");
            ok &= Check(names is object[] && !(numbers is object[]), "string[] is object[] (covariance); int[] is not");
            ok &= Check(new Calf[1] is Animal[] && !(new Rock[1] is Animal[]), "array covariance follows the element's base chain");

            int? some = 42;
            int? none = null;
            object boxedSome = some;
            object boxedNone = none;
            ok &= Check(boxedSome is int && (int)boxedSome == 42, "boxing a Nullable<int> with a value boxes the int");
            ok &= Check(boxedNone == null, "boxing a Nullable<int> without a value gives null");
            int? back = (int?)boxedSome;
            int? backNone = (int?)boxedNone;
            ok &= Check(back.HasValue && back.Value == 42 && !backNone.HasValue, "unboxing to Nullable<int>");
            long? wide = long.MinValue;
            object boxedWide = wide;
            ok &= Check(boxedWide is long && (long)boxedWide == long.MinValue, "boxing a Nullable<long> (8-byte value offset)");
            return ok;
        }
    }
}
