using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // Generics: a generic class over value and reference types (shared code
    // for references), generic methods with constraints, a generic struct, and a
    // static field per instantiation. (Generic virtual methods are not supported:
    // ILC asks for System.Runtime.TypeLoaderExports when it cannot devirtualise one.)
    public sealed class RuntimeGenericsSelfTest : SelfTest
    {
        public override string Name => "runtime-generics";

        private sealed class Stack<T>
        {
            private T[] _items = new T[2];
            private int _count;

            public void Push(T item)
            {
                if (_count == _items.Length)
                {
                    T[] larger = new T[_items.Length * 2];
                    for (int i = 0; i < _count; i++)
                        larger[i] = _items[i];
                    _items = larger;
                }
                _items[_count++] = item;
            }

            public T Pop() => _items[--_count];
            public int Count => _count;
        }

        private struct Pair<TFirst, TSecond>
        {
            public TFirst First;
            public TSecond Second;
        }

        private static class Counter<T>
        {
            public static int Count;
        }

        private interface INamed { string Name { get; } }
        private sealed class Cow : INamed { public string Name => "cow"; }

        private static T FirstNamed<T>(T[] items) where T : class, INamed
        {
            for (int i = 0; i < items.Length; i++)
                if (items[i].Name.Length > 0)
                    return items[i];
            return null;
        }

        private delegate int Comparison<T>(T a, T b);

        private static T Max<T>(T a, T b, Comparison<T> compare) => compare(a, b) >= 0 ? a : b;

        public override bool Run(BootInfo bootInfo)
        {
            Stack<int> ints = new Stack<int>();
            Stack<string> strings = new Stack<string>();
            for (int i = 0; i < 100; i++)
            {
                ints.Push(i);
                strings.Push(i % 2 == 0 ? "even" : "odd");
            }
            bool ok = Check(ints.Count == 100 && ints.Pop() == 99 && strings.Pop() == "odd" && strings.Pop() == "even",
                "a growing generic stack over int and string");

            Pair<long, string> pair;
            pair.First = long.MaxValue;
            pair.Second = "second";
            ok &= Check(pair.First == long.MaxValue && pair.Second.Length == 6, "a generic struct with two type parameters");

            Counter<int>.Count += 1;
            Counter<string>.Count += 2;
            Counter<string>.Count += 2;
            ok &= Check(Counter<int>.Count == 1 && Counter<string>.Count == 4, "one static field per instantiation");

            Cow[] cows = { new Cow() };
            ok &= Check(FirstNamed(cows) == cows[0], "a generic method with class and interface constraints");
            ok &= Check(Max(3, 9, Compare) == 9, "a generic method taking a generic delegate");

            return ok;
        }

        private static int Compare(int a, int b) => a - b;
    }
}
