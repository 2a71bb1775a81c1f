using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // The phase-1 runtime features kernel code relies on: reference statics set
    // by a static constructor, objects, arrays, strings, virtual calls, casts,
    // boxing, generics, delegates and `checked` arithmetic that does not overflow.
    public sealed class RuntimeSelfTest : SelfTest
    {
        public override string Name => "runtime";

        private static readonly string s_greeting = MakeGreeting();
        private static int s_constructorRuns;

        private static string MakeGreeting()
        {
            s_constructorRuns++;
            return "moo";
        }

        private abstract class Animal
        {
            public abstract int Legs { get; }
            public virtual string Sound => "...";
        }

        private sealed class Cow : Animal
        {
            public override int Legs => 4;
            public override string Sound => "moo";
        }

        private sealed class Bird : Animal
        {
            public override int Legs => 2;
        }

        private sealed class Box<T>
        {
            public T Value;
        }

        private delegate int IntOperation(int value);

        private sealed class Adder
        {
            private readonly int _amount;
            public Adder(int amount) { _amount = amount; }
            public int Add(int value) => value + _amount;
        }

        private static int Triple(int value) => value * 3;

        public override bool Run(BootInfo bootInfo)
        {
            bool ok = Check(s_greeting == "moo" && s_constructorRuns == 1, "a reference static set by the static constructor, once");

            Animal[] animals = { new Cow(), new Bird(), new Cow() };
            int legs = 0;
            for (int i = 0; i < animals.Length; i++)
                legs += animals[i].Legs;
            ok &= Check(legs == 10, "virtual calls over an array of objects");
            ok &= Check(animals[1].Sound == "..." && animals[0].Sound == "moo", "overridden and inherited virtual members");

            object something = animals[0];
            ok &= Check(something is Cow && !(something is Bird) && something as Animal != null, "is/as casts walk the base-type chain");

            object boxed = 41;
            ok &= Check((int)boxed + 1 == 42, "boxing and unboxing an int");

            Box<string> box = new Box<string>();
            box.Value = "generic";
            Box<long> longBox = new Box<long>();
            longBox.Value = long.MaxValue;
            ok &= Check(box.Value.Length == 7 && longBox.Value == long.MaxValue, "generic class over a reference and a value type");

            int[] squares = new int[100];
            for (int i = 0; i < squares.Length; i++)
                squares[i] = checked(i * i);
            ok &= Check(squares[99] == 9801 && squares.Length == 100, "int array with checked arithmetic");

            IntOperation addFive = new Adder(5).Add;
            IntOperation triple = Triple;
            ok &= Check(addFive(1) == 6 && triple(7) == 21, "delegates to an instance and a static method");

            ulong big = 0xFFFF_FFFF_0000_0000;
            ok &= Check(big / 0x1_0000 == 0xFFFF_FFFF_0000 && big % 7 == big - big / 7 * 7, "64-bit division");
            return ok;
        }
    }
}
