/** The cost of `deno run` itself: a hello-world. */
console.log("hello, world");
