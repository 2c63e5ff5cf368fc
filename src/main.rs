fn main() {
    portico::start();
}
