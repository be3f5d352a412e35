package dev.switchboard.console.view;

import dev.switchboard.console.Console;
import dev.switchboard.console.state.CallRow;
import dev.switchboard.console.state.CallsViewModel;
import dev.switchboard.console.state.Format;
import dev.switchboard.console.state.QueueNames;
import dev.switchboard.console.state.StatusFilter;
import dev.switchboard.console.wire.Call;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/** The calls table and its filter bar: status chips, queue, agent and free-text search. */
final class CallsView extends VBox {

    private final CallsViewModel vm;
    private final QueueNames names;
    private final TableView<CallRow> table = new TableView<>();
    private final TextField search = new TextField();
    private final ComboBox<String> queue = new ComboBox<>();
    private final ComboBox<String> agent = new ComboBox<>();
    private final Map<StatusFilter, ToggleButton> chips = new EnumMap<>(StatusFilter.class);

    CallsView(Console console, Runnable newCall) {
        this.vm = console.state().calls();
        this.names = console.state().queueNames();
        getStyleClass().addAll("panel", "calls");

        Label title = new Label("Calls");
        title.getStyleClass().add("panel-title");
        Label shown = new Label();
        shown.getStyleClass().add("muted");
        shown.textProperty().bind(Bindings.createStringBinding(
            () -> vm.visibleRows().size() + " shown of " + vm.rows().size(), vm.visibleRows(), vm.rows()));
        HBox header = new HBox(10, title, shown, spacer(), searchBox());
        header.setAlignment(Pos.CENTER_LEFT);
        if (console.canSimulate()) {
            Button add = new Button("+ New call");
            add.setId("new-call");
            add.getStyleClass().add("accent");
            add.setMinWidth(USE_PREF_SIZE);
            add.setOnAction(e -> newCall.run());
            add.setTooltip(new javafx.scene.control.Tooltip("Simulate a new call waiting in a queue (Ctrl+N)"));
            header.getChildren().add(add);
        }

        HBox filters = new HBox(8, statusChips(), spacer(),
            filterBox(queue, "queue", "All queues", vm.queueOptions(), vm.queueProperty(), names.converter("All queues")),
            filterBox(agent, "agent", "All agents", vm.agentOptions(), vm.agentProperty(), null));
        filters.getStyleClass().add("filter-bar");
        filters.setAlignment(Pos.CENTER_LEFT);

        buildTable(console.state().loadedProperty());
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(header, filters, table);
    }

    private HBox statusChips() {
        ToggleGroup group = new ToggleGroup();
        HBox box = new HBox();
        box.getStyleClass().add("segmented");
        for (StatusFilter f : StatusFilter.values()) {
            ToggleButton b = new ToggleButton(f.label());
            b.setId("status-" + f.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            b.setToggleGroup(group);
            b.setUserData(f);
            b.setTooltip(new javafx.scene.control.Tooltip(f.label() + " calls (Ctrl+" + (f.ordinal() + 1) + ")"));
            b.setFocusTraversable(false);
            b.setMinWidth(USE_PREF_SIZE);
            chips.put(f, b);
            box.getChildren().add(b);
        }
        chips.get(vm.statusProperty().get()).setSelected(true);
        group.selectedToggleProperty().addListener((o, before, now) -> {
            if (now == null) {
                before.setSelected(true);   // one chip is always on
            } else {
                vm.statusProperty().set((StatusFilter) now.getUserData());
            }
        });
        vm.statusProperty().addListener((o, before, now) -> chips.get(now == null ? StatusFilter.ALL : now).setSelected(true));
        return box;
    }

    /**
     * A queue or agent filter: "All …" first, then every known one; kept in step with the view-model.
     *
     * @param shown how an option reads (a queue's name for its id), {@code null} for the option itself
     */
    private ComboBox<String> filterBox(ComboBox<String> box, String name, String any, ObservableList<String> options,
                                       javafx.beans.property.StringProperty bound, StringConverter<String> shown) {
        if (shown != null) {
            box.setConverter(shown);
            // a rename: the cells and the button read the new name (a new converter redraws them)
            names.revisionProperty().addListener((o, a, b) -> box.setConverter(names.converter(any)));
        }
        ObservableList<String> items = FXCollections.observableArrayList(any);
        // options only grow; adding in place (never setAll) keeps the shown choice on the button
        Runnable refresh = () -> {
            for (String option : options) {
                if (!items.contains(option)) {
                    int at = 1;
                    while (at < items.size() && items.get(at).compareTo(option) < 0) {
                        at++;
                    }
                    items.add(at, option);
                }
            }
        };
        box.setItems(items);
        box.setValue(any);
        options.addListener((javafx.collections.ListChangeListener<String>) c -> refresh.run());
        refresh.run();
        box.setId(name + "-filter");
        box.setTooltip(new javafx.scene.control.Tooltip("Only the calls of one " + name + " (Alt+" + Character.toUpperCase(name.charAt(0)) + ")"));
        box.setPrefWidth(160);
        box.valueProperty().addListener((o, a, b) -> bound.set(b == null || any.equals(b) ? null : b));
        bound.addListener((o, a, b) -> box.setValue(b == null ? any : b));
        return box;
    }

    private TextField searchBox() {
        search.setId("search");
        search.setPromptText("Search  (Ctrl+F)");
        search.getStyleClass().add("search");
        search.setPrefWidth(240);
        search.textProperty().bindBidirectional(vm.searchProperty());
        return search;
    }

    private void buildTable(javafx.beans.value.ObservableBooleanValue loaded) {
        table.setId("calls-table");
        Label placeholder = new Label();
        placeholder.textProperty().bind(Bindings.when(loaded).then("No calls match. Ctrl+1 shows live calls, Esc clears the filters.")
            .otherwise("Loading the current calls…"));
        table.setPlaceholder(placeholder);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<CallRow, String> id = column("Call", 120, r -> r.callProperty().map(Call::id));
        TableColumn<CallRow, Call> status = new TableColumn<>("Status");
        status.setPrefWidth(150);
        status.setCellValueFactory(c -> c.getValue().callProperty());
        status.setComparator(java.util.Comparator.comparing(Call::status));
        status.setCellFactory(c -> new TableCell<>() {
            private final StatusPill pill = new StatusPill();

            @Override
            protected void updateItem(Call call, boolean empty) {
                super.updateItem(call, empty);
                if (empty || call == null) {
                    setGraphic(null);
                } else {
                    pill.show(call.status(), StatusPill.callText(call.status(), call.phase()));
                    setGraphic(pill);
                }
            }
        });
        TableColumn<CallRow, String> queueCol = column("Queue", 140, r -> names.nameOf(r.callProperty().map(Call::queueId)));
        TableColumn<CallRow, String> agentCol = column("Agent", 120, r -> r.callProperty().map(c -> c.agentId() == null ? "—" : c.agentId()));
        TableColumn<CallRow, String> elapsed = new TableColumn<>("Wait / talk");
        elapsed.setPrefWidth(90);
        elapsed.setCellValueFactory(c -> c.getValue().elapsedProperty());
        elapsed.getStyleClass().add("numeric");
        elapsed.setSortable(false);
        TableColumn<CallRow, String> type = column("Type", 70, r -> r.callProperty().map(c -> Format.words(c.type())));
        TableColumn<CallRow, String> started = column("Started", 80, r -> r.callProperty().map(c -> Format.time(c.startTime())));
        TableColumn<CallRow, String> flags = column("Flags", 150, r -> r.callProperty().map(c -> String.join(", ",
            c.flags().stream().map(Format::flag).toList())));
        table.getColumns().setAll(java.util.List.of(id, status, queueCol, agentCol, elapsed, type, started, flags));

        table.setItems(vm.visibleRows());
        vm.visibleRows().comparatorProperty().bind(Bindings.createObjectBinding(
            () -> table.getComparator() != null ? table.getComparator() : CallsViewModel.DEFAULT_ORDER,
            table.comparatorProperty()));
        table.setRowFactory(t -> new CallTableRow());
    }

    /** A row marked by its call's state: past the SLA or hold maximum, or ended; follows the call live. */
    private static final class CallTableRow extends TableRow<CallRow> {
        private final javafx.beans.value.ChangeListener<Call> onChange = (o, a, b) -> style(b);
        private CallRow watched;

        @Override
        protected void updateItem(CallRow row, boolean empty) {
            super.updateItem(row, empty);
            if (watched != null) {
                watched.callProperty().removeListener(onChange);
            }
            watched = empty ? null : row;
            if (watched != null) {
                watched.callProperty().addListener(onChange);
            }
            style(watched == null ? null : watched.call());
        }

        private void style(Call c) {
            // marked while the situation lasts: past the SLA and still waiting, past the hold maximum
            // and still on hold (when the call moves on, the server resolves the alert too)
            pseudoClassStateChanged(BREACH, c != null && (c.isWaiting() && c.hasFlag("sla_breach")
                || Call.ON_HOLD.equals(c.status()) && c.hasFlag("hold_exceeded")));
            pseudoClassStateChanged(ENDED, c != null && !c.isLive());
        }
    }

    private static final javafx.css.PseudoClass BREACH = javafx.css.PseudoClass.getPseudoClass("breach");
    private static final javafx.css.PseudoClass ENDED = javafx.css.PseudoClass.getPseudoClass("ended");

    private static TableColumn<CallRow, String> column(String name, double width,
                                                       Function<CallRow, ObservableValue<String>> value) {
        TableColumn<CallRow, String> c = new TableColumn<>(name);
        c.setPrefWidth(width);
        c.setCellValueFactory(f -> value.apply(f.getValue()));
        return c;
    }

    private static Region spacer() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }

    TableView<CallRow> table() {
        return table;
    }

    void focusSearch() {
        search.requestFocus();
        search.selectAll();
    }

    void openQueueFilter() {
        queue.requestFocus();
        queue.show();
    }

    void openAgentFilter() {
        agent.requestFocus();
        agent.show();
    }
}
