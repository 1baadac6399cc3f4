/// The training rooms at the demo center's three sites: a large and a mid-sized classroom
/// and a call-simulation lab with headset positions at each, with the directions the notice
/// memo prints.
enum DemoRooms {
    struct Room {
        let id: String
        let site: String
        let capacity: Int
        let directions: String
    }

    static let rooms: [Room] = [
        Room(id: "SH-A501", site: "Shanghai", capacity: 30,
             directions: "Building A, 5th floor, room 501: lifts from the main lobby, turn left; badge at the door."),
        Room(id: "SH-A503", site: "Shanghai", capacity: 24,
             directions: "Building A, 5th floor, room 503: lifts from the main lobby, turn left, second door on the right."),
        Room(id: "SH-A510", site: "Shanghai", capacity: 16,
             directions: "Building A, 5th floor, room 510, the simulation lab at the end of the corridor; headsets are provided."),
        Room(id: "CD-T301", site: "Chengdu", capacity: 28,
             directions: "Tianfu tower, 3rd floor, room 301: take the east lifts; reception will show you in."),
        Room(id: "CD-T305", site: "Chengdu", capacity: 20,
             directions: "Tianfu tower, 3rd floor, room 305, opposite the east lifts."),
        Room(id: "CD-T310", site: "Chengdu", capacity: 12,
             directions: "Tianfu tower, 3rd floor, room 310, the simulation lab past the kitchen; headsets are provided."),
        Room(id: "WH-B201", site: "Wuhan", capacity: 24,
             directions: "Optics Valley campus, building B, 2nd floor, room 201: stairs beside the canteen."),
        Room(id: "WH-B204", site: "Wuhan", capacity: 14,
             directions: "Optics Valley campus, building B, 2nd floor, room 204, the simulation lab; headsets are provided."),
    ]

    /// The demo's sites, in the order of the rooms.
    static var sites: [String] {
        var seen: [String] = []
        for room in rooms where !seen.contains(room.site) { seen.append(room.site) }
        return seen
    }
}
