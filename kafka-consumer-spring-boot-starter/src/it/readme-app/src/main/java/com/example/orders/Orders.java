package com.example.orders;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import dev.kafkaconsumer.spring.Key;
import dev.kafkaconsumer.spring.RecordHandler;
import org.springframework.stereotype.Component;

@Component
public class Orders {

    private final BlockingQueue<String> handled = new LinkedBlockingQueue<>();

    @RecordHandler(topics = "orders", concurrency = "32", ordering = "KEY")
    void onOrder(@Key String customer, String order) {
        handled.add(customer + ": " + order);
    }

    public BlockingQueue<String> handled() {
        return handled;
    }
}
